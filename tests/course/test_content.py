"""The shipped curriculum is checked at start-up; a broken file names the file and field."""
import shutil

import pytest

from wellbeing.course.content import CONTENT_DIR, ContentError, load_curriculum

GOOD = """---
week: 1
title: "A week"
intention: "To try something."
practices:
  - slug: first-practice
    title: "First"
    minutes: 5
    backdraft_note: true
    steps: ["One", "Two"]
  - slug: second-practice
    title: "Second"
    minutes: 10
    backdraft_note: false
    steps: ["One", "Two"]
reflection: "What did you notice?"
home_practice: "A little each day."
---
### Reading

Some text.
"""


def write(folder, name="week-01.md", text=GOOD):
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_shipped_course_has_eight_complete_weeks():
    weeks = load_curriculum()
    assert sorted(weeks) == list(range(1, 9))
    for week in weeks.values():
        assert week.title and week.intention and week.reflection and week.reading
        assert "30 minutes" in week.home_practice
        assert 2 <= len(week.practices) <= 3
        assert all(p.steps and 1 <= p.minutes <= 60 for p in week.practices)
    slugs = {p.slug for w in weeks.values() for p in w.practices}
    # The seed practices the issue asks for are all there.
    assert {"self-compassion-break", "supportive-touch", "soles-of-the-feet",
            "soothing-rhythm-breathing", "compassionate-letter", "what-do-i-need",
            "five-step-pause"} <= slugs
    assert "backdraft" in weeks[1].reading.lower()


def test_a_good_file_loads(tmp_path):
    weeks = load_curriculum(write(tmp_path))
    assert weeks[1].practices[0].backdraft_note is True
    assert weeks[1].practices[1].minutes == 10


@pytest.mark.parametrize("broken, where", [
    (GOOD.replace('title: "A week"\n', ""), "title"),
    (GOOD.replace("minutes: 5", "minutes: five"), "practices[0].minutes"),
    (GOOD.replace("minutes: 10", "minutes: 0"), "practices[1].minutes"),
    (GOOD.replace("backdraft_note: true", "backdraft_note: maybe"), "practices[0].backdraft_note"),
    (GOOD.replace('steps: ["One", "Two"]', "steps: []", 1), "practices[0].steps"),
    (GOOD.replace("slug: first-practice", "slug: First Practice"), "practices[0].slug"),
    (GOOD.replace("reflection:", "reflexion:"), "reflexion"),
    (GOOD.replace("week: 1", "week: one"), "week"),
    (GOOD.split("---\n### Reading")[0] + "---\n", "reading"),
])
def test_a_broken_field_is_named_with_its_file(tmp_path, broken, where):
    write(tmp_path, text=broken)
    with pytest.raises(ContentError) as error:
        load_curriculum(tmp_path)
    assert error.value.filename == "week-01.md"
    assert error.value.where == where
    assert str(error.value).startswith(f"week-01.md: {where}: ")


def test_invalid_yaml_names_the_file_and_line(tmp_path):
    write(tmp_path, text=GOOD.replace('title: "A week"', 'title: "A week'))
    with pytest.raises(ContentError, match=r"week-01.md: line \d+: is not valid YAML"):
        load_curriculum(tmp_path)


def test_missing_front_matter(tmp_path):
    write(tmp_path, text="# Just Markdown\n")
    with pytest.raises(ContentError, match="week-01.md: must start with YAML front matter"):
        load_curriculum(tmp_path)


def test_duplicate_slug_and_week_gaps_are_refused(tmp_path):
    write(tmp_path)
    write(tmp_path, "week-02.md", GOOD.replace("week: 1", "week: 2"))
    with pytest.raises(ContentError, match="week-02.md: practices.0..slug: 'first-practice' "
                                           "is already used in week-01.md"):
        load_curriculum(tmp_path)
    write(tmp_path, "week-02.md", GOOD.replace("week: 1", "week: 3")
          .replace("first-practice", "third").replace("second-practice", "fourth"))
    with pytest.raises(ContentError, match=r"missing \[2\]"):
        load_curriculum(tmp_path)


def test_the_app_refuses_to_start_with_a_broken_course(tmp_path, app):
    folder = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, folder)
    week = folder / "week-04.md"
    week.write_text(week.read_text().replace("minutes: 20", "minutes: -20"))
    from wellbeing import create_app
    config = {k: app.config[k] for k in ("SQLALCHEMY_DATABASE_URI", "PROFILE")}
    with pytest.raises(ContentError, match=r"week-04.md: practices\[1\].minutes"):
        create_app({**config, "COURSE_CONTENT_DIR": str(folder)})
