"""The artefacts people read and export: the report (`report`, with `sections`, `method`,
`figures`, `markdown`), the theme map (`map`) and REFI-QDA projects (`qda`)."""
