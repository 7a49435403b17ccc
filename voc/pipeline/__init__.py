"""The pipeline: each stage declared beside its body (`stages/`), the order they run in
(`registry`), what a stage is (`stage`), and the runner that reuses what has not changed
(`runner`)."""
