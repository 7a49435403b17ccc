"""Embedding: the packaged model (`packaged`), its backends (`model`, `onnx`) and the
content-addressed cache every run embeds through (`cache`)."""
