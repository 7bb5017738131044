"""English for issue 14's national codes: the relation table 13–20 and the 16 school statuses."""

CODES = {
    "之岳父": "wife's father",
    "之岳母": "wife's mother",
    "之公公": "husband's father",
    "之婆婆": "husband's mother",
    "之祖父": "grandfather",
    "之祖母": "grandmother",
    "之外祖父": "maternal grandfather",
    "之外祖母": "maternal grandmother",
    "七年级": "grade 7",
    "八年级": "grade 8",
    "九年级": "grade 9",
    "高中一年级": "senior high, year 1",
    "高中二年级": "senior high, year 2",
    "高中三年级": "senior high, year 3",
    "中职一年级": "secondary vocational, year 1",
    "中职二年级": "secondary vocational, year 2",
    "中职三年级": "secondary vocational, year 3",
    "高职一年级": "higher vocational, year 1",
    "高职二年级": "higher vocational, year 2",
    "高职三年级": "higher vocational, year 3",
}
