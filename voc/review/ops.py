"""The edits a reviewer can make, by what they change; each group is applied by the first
stage it affects, which declares it."""

THEME_STRUCTURE = ("merge_themes", "split_theme", "move_unit", "hide_theme", "show_theme")
THEME_WORDS = ("rename_theme", "set_job")
SEGMENT_MERGES = ("merge_segments",)
SEGMENT_NAMES = ("rename_segment",)
EDIT_OPS = (*THEME_STRUCTURE, *THEME_WORDS, *SEGMENT_MERGES, *SEGMENT_NAMES)
