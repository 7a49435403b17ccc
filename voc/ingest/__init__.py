"""The ingest stage: corpus files (`files`) read by their readers (`transcripts`,
`spreadsheets`, `tickets`) into records (`records`), redacted (`redact`), split into passages
(`passages`) and gathered into the units and respondents tables (`corpus`); a codebook to
start the themes from is read here too (`codebook`, `qda`)."""
