"""The rule every number shown to staff goes through: a figure that rests on fewer
respondents than the organisation's minimum group size is not shown. No Flask here: the
rule is the same for pages, exports and charts."""

FLOOR = 3  # an organisation may lower its minimum group size, never below this


def minimum_group_size(org) -> int:
    """The organisation's minimum group size, never below FLOOR."""
    return max(FLOOR, org.min_group_size)
