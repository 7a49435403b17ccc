"""`voc update BASE CORPUS… --out NEW`: a new period's corpus in a base run's taxonomy. A new
answer takes the base theme its nearest base answers vote for — as units past a fitted sample
do — and an answer already in the base run keeps its theme. An answer is new where base
answers are rare around it (against its theme's own mix of both periods, so a surge is not
new) and it is farther from the theme than all but the loosest of its members, or no base
answer is near it at all. New answers are clustered among themselves; clusters large enough
become themes marked `new`. Base themes keep their ids, labels, jobs and the reviewer's edits
(they are in the base tables); respondents join the base segment whose theme profile they
match best."""
