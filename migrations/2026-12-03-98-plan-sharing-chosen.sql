-- When the participant first answered "who can see my plan". Until then every section is shared
-- as the workbook suggests, and the first time they open their plan they are asked (the answer
-- is theirs even if it keeps the suggestion). Their worker writing in the plan never answers it.
ALTER TABLE participants ADD COLUMN plan_sharing_chosen_at timestamptz;
