"""Review: a reviewer's edits (`edits`) and where each stage applies them (`apply`), and the
review page: its view of a run (`view`), the session that refreshes the run after edits
(`session`), the HTTP server (`server`) and the page itself (`static/`)."""
