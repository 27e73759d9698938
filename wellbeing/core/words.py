"""Counts in words a reader expects: "1 invitation", "3 invitations"."""


def counted(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"
