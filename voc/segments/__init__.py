"""The segments, profiles and criteria stages' algorithms: what each person said (`answers`),
the consensus of resampled fits (`consensus`, `find`), each segment's measured facts
(`facts`), its persona (`personas`) and the five criteria (`criteria`)."""
