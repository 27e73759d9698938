"""The course length in running text."""
from wellbeing.web.templating import weeks_long


def test_course_length_takes_the_article_it_sounds_like():
    assert [weeks_long(n) for n in (8, 6, 11, 12, 16, 1)] == [
        "an 8-week", "a 6-week", "an 11-week", "a 12-week", "a 16-week", "a 1-week"]
