"""The themes stage's algorithms: clustering at the data's grain (`fit`, `cluster`, `grain`,
`sample`), the themes table (`table`, `keywords`), key phrases and the groups above the themes
(`phrases`, `groups`), their labels (`label`) and a codebook to start from (`codebook`)."""
