"""The practice player and the breathing guide in a real Chromium, on Playwright's clock
(no real waiting): steps advance when their pause is over, a chime is asked for between
steps, pause and back work, the browser's voice reads each step in order when chosen,
and the guide breathes at the pace it is set to. axe-clean at 1280 and 390 px."""
import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.course.test_browser import ARTIFACTS, axe_clean, shoot, sign_in
from wellbeing.core.timeutil import now_utc
from wellbeing.course.content import load_curriculum

pytestmark = pytest.mark.browser
SLUG = "phrases-between-meetings"  # week 3, five steps
PRACTICE = next(p for p in load_curriculum()[3].practices if p.slug == SLUG)
SHORT = PRACTICE.pauses_for(PRACTICE.short_minutes)  # seconds after each step
LONG = PRACTICE.pauses_for(PRACTICE.long_minutes)
TEXTS = [s.text for s in PRACTICE.steps]

# Stand-ins for the Web Audio and Web Speech APIs that record what the page asks of them.
FAKE_AUDIO = """
window.__chimes = 0;
window.AudioContext = function () { this.currentTime = 0; this.destination = {}; };
window.AudioContext.prototype.createOscillator = function () {
  return {frequency: {}, connect: function (n) { return n; },
          start: function () { window.__chimes += 0.5; }, stop: function () {}};
};
window.AudioContext.prototype.createGain = function () {
  return {gain: {setValueAtTime: function () {}, exponentialRampToValueAtTime: function () {}},
          connect: function (n) { return n; }};
};
"""
FAKE_SPEECH = """
window.__spoken = [];
var fakeVoices = %s;
Object.defineProperty(window, "speechSynthesis", {configurable: true, value: {
  getVoices: function () { return fakeVoices; },
  speak: function (u) {
    window.__spoken.push({text: u.text, rate: u.rate, voice: u.voice && u.voice.name});
    setTimeout(function () { if (u.onend) { u.onend({}); } }, 4000);
  },
  cancel: function () {}, addEventListener: function () {}
}});
window.SpeechSynthesisUtterance = function (text) { this.text = text; };
"""
VOICES = '[{name: "Calm voice", lang: "en-GB"}, {name: "Other voice", lang: "fr-FR"}]'


@pytest.fixture(autouse=True)
def no_script_errors(page):
    """Every test here also fails on an uncaught error in our scripts, or a CSP refusal."""
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" else None)
    yield
    # A refused form answers 400 on purpose; the browser logs that, and it is no fault.
    assert [e for e in errors if "status of 400" not in e and "status of 413" not in e] == []


def open_practice(page, participant, voices=VOICES, slug=SLUG, week=3):
    page.add_init_script(FAKE_AUDIO + FAKE_SPEECH % voices)
    page.clock.install()
    sign_in(page, participant)
    page.goto(f"/course/weeks/{week}/practices/{slug}")


def chimes(page):
    return page.evaluate("window.__chimes")


def test_steps_advance_on_time_with_chimes_pause_and_back(page, week3_participant):
    open_practice(page, week3_participant)
    step = page.locator("#player-step")
    count = page.locator("#player-count")
    # The whole list is folded away, one click from the player.
    expect(page.locator("#steps")).to_be_hidden()
    page.get_by_text("All the steps").click()
    expect(page.locator("#steps li")).to_have_count(5)
    page.get_by_text("All the steps").click()

    page.get_by_role("button", name="Begin").focus()
    page.keyboard.press("Enter")
    expect(count).to_have_text("Step 1 of 5")
    expect(step).to_have_text(TEXTS[0])
    expect(step).to_be_focused()
    page.clock.run_for(SHORT[0] * 1000 - 500)
    expect(count).to_have_text("Step 1 of 5")
    assert chimes(page) == 0
    page.clock.run_for(1000)
    expect(count).to_have_text("Step 2 of 5")
    expect(step).to_have_text(TEXTS[1])
    assert chimes(page) == 1

    # Pause half a second into step 2 with the space bar: time stands still until resumed.
    page.keyboard.press(" ")
    expect(page.locator("#player-status")).to_have_text("Paused. Resume whenever you are ready.")
    page.clock.run_for(120_000)
    expect(count).to_have_text("Step 2 of 5")
    page.get_by_role("button", name="Resume").click()
    page.clock.run_for(SHORT[1] * 1000 - 1000)
    expect(count).to_have_text("Step 2 of 5")
    page.clock.run_for(1000)
    expect(count).to_have_text("Step 3 of 5")
    assert chimes(page) == 2

    page.get_by_role("button", name="Back").click()
    expect(count).to_have_text("Step 2 of 5")
    page.clock.run_for(SHORT[1] * 1000 + 100)  # back gives the step its whole pause again
    expect(count).to_have_text("Step 3 of 5")
    page.get_by_role("button", name="Next step").click()
    expect(count).to_have_text("Step 4 of 5")
    page.clock.run_for((SHORT[3] + SHORT[4]) * 1000 + 100)
    expect(count).to_have_text("Finished")
    assert chimes(page) == 6  # 2, 3, 3 again after back, 4, 5 and the end
    expect(page.get_by_role("link", name="Log this practice").first).to_have_attribute(
        "href", f"/course/practice?practice={SLUG}&minutes={PRACTICE.short_minutes}")
    axe_clean(page, "player finished")
    assert page.evaluate("window.__spoken") == []  # nobody asked for narration


def test_narration_reads_every_step_in_order_at_the_chosen_voice_and_speed(
        page, week3_participant):
    open_practice(page, week3_participant)
    page.get_by_label("Long, about").check()
    page.get_by_label("Read the steps aloud").check()
    expect(page.get_by_label("Voice", exact=True)).to_have_value("0")  # the page's language first
    page.get_by_label("Speed").select_option(label="Slower")
    page.get_by_role("button", name="Begin").click()
    page.clock.run_for(LONG[0] * 1000 - 500)
    expect(page.locator("#player-count")).to_have_text("Step 1 of 5")
    page.clock.run_for(sum(LONG[1:]) * 1000 + 1000)
    expect(page.locator("#player-count")).to_have_text("Finished")
    spoken = page.evaluate("window.__spoken")
    assert [s["text"] for s in spoken] == TEXTS
    assert {(s["rate"], s["voice"]) for s in spoken} == {(0.8, "Calm voice")}


def test_without_voices_the_player_stays_silent(page, week3_participant):
    open_practice(page, week3_participant, voices="[]")
    expect(page.locator("#player-narration")).to_be_hidden()
    page.get_by_role("button", name="Begin").click()
    page.clock.run_for(sum(SHORT) * 1000 + 500)
    expect(page.locator("#player-count")).to_have_text("Finished")
    assert page.evaluate("window.__spoken") == []


@pytest.mark.parametrize("rate, breathe_in", [("6", 4.5), ("4", 6.75)])
def test_the_breathing_guide_keeps_the_pace_it_is_set_to(page, week3_participant, rate,
                                                         breathe_in):
    open_practice(page, week3_participant, slug="affectionate-breathing", week=2)
    # Only run_for moves the page's clock here: a slow machine must not breathe for us.
    page.clock.pause_at(page.evaluate("Date.now()") + 1000)
    label, circle = page.locator("#pacer-label"), page.locator("#pacer-circle")
    expect(page.get_by_label("Breaths a minute")).to_have_value("5.5")
    page.get_by_label("Breaths a minute").select_option(rate)
    cycle = 60 / float(rate)
    page.get_by_role("button", name="Start the guide").click()
    expect(label).to_have_text("Breathe in")
    expect(circle).to_have_class("pacer-circle is-in")
    page.clock.run_for(int(breathe_in * 1000) - 100)
    expect(label).to_have_text("Breathe in")
    page.clock.run_for(200)
    expect(label).to_have_text("Breathe out")
    expect(circle).to_have_class("pacer-circle")
    page.clock.run_for(int((cycle - breathe_in) * 1000) - 200)
    expect(label).to_have_text("Breathe out")
    page.clock.run_for(200)
    expect(label).to_have_text("Breathe in")
    expect(page.locator("#pacer-count")).to_have_text("Breath 2")
    page.clock.run_for(int(cycle * 1000) * 3)
    expect(page.locator("#pacer-count")).to_have_text("Breath 5")
    page.get_by_role("button", name="Stop the guide").click()
    expect(label).to_have_text("Ready when you are")


def test_practice_pages_are_calm_and_accessible_at_both_widths(page, week3_participant):
    open_practice(page, week3_participant, slug="affectionate-breathing", week=2)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto("/course/weeks/2/practices/affectionate-breathing")
        axe_clean(page, f"practice at {width}")
        page.get_by_role("button", name="Begin").click()
        page.get_by_role("button", name="Start the guide").click()
        page.clock.run_for(2000)
        axe_clean(page, f"player running at {width}")
        shoot(page, f"player-{width}")
        for name, path in [("pocket", "/course/pocket/self-compassion-break"),
                           ("pockets", "/course/pocket"), ("too-much", "/course/too-much"),
                           ("my-practices", "/course/my-practices"),
                           ("credits", "/course/where-these-practices-come-from"),
                           ("home", "/course/")]:
            page.goto(path)
            axe_clean(page, f"{name} at {width}")
            shoot(page, f"{name}-{width}")


def test_pocket_practice_is_two_taps_from_home_on_a_phone(page, week3_participant):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, week3_participant)
    page.get_by_role("link", name="The self-compassion break").click()  # the second tap
    expect(page.get_by_role("heading", level=1, name="The self-compassion break")).to_be_visible()
    expect(page.get_by_text("In the moment · no timer")).to_be_visible()


def test_staff_safety_refusal_and_recording_upload_in_the_browser(page, admin, tmp_path):
    sign_in(page, admin)
    page.goto("/course/modules/2/edit")
    typed = "## Our week\n\nOur own reading, and nothing about safety."
    page.get_by_label("Reading (Markdown)").fill(typed)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your reading leaves out one of our safety paragraphs")).to_be_visible()
    expect(page.get_by_label("Reading (Markdown)")).to_have_value(typed)
    expect(page.get_by_role("heading", name="Safety paragraphs that stay")).to_be_visible()
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        axe_clean(page, f"module edit refused at {width}")
        shoot(page, f"module-safety-refused-{width}")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/course/recordings")
    page.get_by_role("link", name="Upload a recording of The self-compassion break").click()
    fake = tmp_path / "break.mp3"
    fake.write_bytes(b"<html>not audio at all</html>" * 20)
    page.get_by_label("Audio file").set_input_files(str(fake))
    page.get_by_role("button", name="Upload recording").click()
    expect(page.get_by_text("break.mp3 is not an audio file we can play")).to_be_visible()
    axe_clean(page, "recording refused")
    real = tmp_path / "real.mp3"
    real.write_bytes(b"ID3\x04\x00\x00\x00\x00\x00\x00\xff\xfb\x90\x64" + bytes(4000))
    page.get_by_label("Audio file").set_input_files(str(real))
    page.get_by_role("button", name="Upload recording").click()
    expect(page.get_by_text("Your recording of The self-compassion break is saved.")
           ).to_be_visible()
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        axe_clean(page, f"recordings at {width}")
        shoot(page, f"recordings-{width}")


@pytest.fixture
def week8_participant(org, make_cohort, participant, enroll):
    cohort = make_cohort(org=org, start=now_utc().date() - dt.timedelta(days=51), tz="UTC",
                         release=dt.time(0, 0), name="Autumn cohort")
    enroll(participant, cohort)
    return participant


def test_imagery_my_practices_and_carrying_forward_at_both_widths(page, week8_participant):
    sign_in(page, week8_participant)
    page.goto("/course/weeks/7/practices/a-safe-place")
    expect(page.get_by_text("You can keep your eyes open.")).to_be_visible()
    page.goto("/course/weeks/6/practices/forgiving-a-mistake")
    page.goto("/course/weeks/8")
    page.get_by_label("Imagining a safe place").check()
    page.get_by_role("button", name="Keep these").click()
    expect(page.get_by_text("You are carrying 1 practice forward")).to_be_visible()
    expect(page.locator(".practice-card h2").first).to_contain_text("Imagining a safe place")
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        for name, path in [("imagery", "/course/weeks/7/practices/a-safe-place"),
                           ("week-8", "/course/weeks/8"), ("library", "/course/my-practices")]:
            page.goto(path)
            axe_clean(page, f"{name} at {width}")
            shoot(page, f"{name}-{width}")
            if name == "week-8":  # the page is long: the choice itself, close up
                page.locator("section[aria-labelledby=carry-heading]").screenshot(
                    path=str(ARTIFACTS / f"carry-forward-{width}.png"))


def test_progress_fills_with_the_pause_and_reduced_motion_keeps_the_guide_still(
        page, week3_participant):
    page.emulate_media(reduced_motion="reduce")
    open_practice(page, week3_participant, slug="affectionate-breathing", week=2)
    short = next(p for p in load_curriculum()[2].practices
                 if p.slug == "affectionate-breathing").pauses_for(3)
    page.get_by_role("button", name="Begin").click()
    page.clock.run_for(short[0] * 500)  # half the first step
    width = page.evaluate("parseFloat(document.getElementById('player-bar').style.width)")
    assert 40 <= width <= 60
    page.get_by_role("button", name="Start the guide").click()
    expect(page.locator("#pacer-label")).to_have_text("Breathe in")
    # The words still guide the breath; the circle does not grow or glide.
    assert page.evaluate("getComputedStyle(document.getElementById('pacer-circle'))"
                         ".transform") == "none"
    assert page.evaluate("getComputedStyle(document.getElementById('pacer-circle'))"
                         ".transitionDuration") in ("0s", "0s, 0s")
    page.clock.run_for(5000)
    expect(page.locator("#pacer-label")).to_have_text("Breathe out")


def test_the_players_choices_are_remembered_on_this_device(page, week3_participant):
    open_practice(page, week3_participant)
    page.get_by_label("Long, about").check()
    page.get_by_label("A soft chime between steps").uncheck()
    page.get_by_label("Read the steps aloud").check()
    page.get_by_label("Voice", exact=True).select_option(label="Other voice (fr-FR)")
    page.get_by_label("Speed").select_option(label="Ordinary")
    page.goto("/course/weeks/1/practices/self-compassion-break")
    expect(page.get_by_label("Long, about")).to_be_checked()
    expect(page.get_by_label("A soft chime between steps")).not_to_be_checked()
    expect(page.get_by_label("Read the steps aloud")).to_be_checked()
    expect(page.get_by_label("Voice", exact=True)).to_have_value("1")
    expect(page.get_by_label("Speed")).to_have_value("1")
    page.get_by_role("button", name="Begin").click()
    first = load_curriculum()[1].practices[0]
    page.clock.run_for(first.pauses_for(first.long_minutes)[0] * 1000 + 500)
    expect(page.locator("#player-count")).to_have_text("Step 2 of 7")  # the long pause
    assert page.evaluate("window.__spoken")[0]["voice"] == "Other voice"
    assert page.evaluate("window.__chimes") == 0  # the chime stays off


def test_a_voice_that_never_says_it_finished_does_not_stop_the_practice(
        page, week3_participant):
    # A browser that loses the end-of-speech event: the player waits a little, then goes on.
    open_practice(page, week3_participant)
    page.evaluate("""() => { window.speechSynthesis.speak = function (u) {
        window.__spoken.push({text: u.text}); }; }""")
    page.get_by_label("Read the steps aloud").check()
    page.get_by_role("button", name="Begin").click()
    page.clock.run_for(SHORT[0] * 1000 + 29_000)
    expect(page.locator("#player-count")).to_have_text("Step 1 of 5")
    page.clock.run_for(1500)
    expect(page.locator("#player-count")).to_have_text("Step 2 of 5")
    assert [s["text"] for s in page.evaluate("window.__spoken")] == TEXTS[:2]


@pytest.mark.parametrize("by_next_step", [False, True])
def test_at_the_end_only_close_and_log_are_offered_and_the_bar_is_full(
        page, week3_participant, by_next_step):
    open_practice(page, week3_participant, slug="finding-your-phrases")
    page.clock.pause_at(page.evaluate("Date.now()") + 1000)  # only run_for moves time
    steps = next(p for p in load_curriculum()[3].practices if p.slug == "finding-your-phrases")
    pauses = steps.pauses_for(steps.short_minutes)
    page.get_by_role("button", name="Begin").click()
    if by_next_step:  # hurried through: Next step on every step, the last one included
        for _ in pauses:
            page.get_by_role("button", name="Next step").click()
    else:
        page.clock.run_for(sum(pauses) * 1000 + 1000)
    expect(page.locator("#player-count")).to_have_text("Finished")
    buttons = page.locator(".player-buttons button")
    expect(buttons.filter(visible=True)).to_have_text(["Close the player"])
    expect(page.locator("#player-log")).to_be_visible()
    expect(page.locator("#player-log")).to_have_text("Log this practice")
    assert page.evaluate("document.getElementById('player-bar').style.width") == "100%"
    page.keyboard.press(" ")  # the space bar no longer pauses a finished practice
    expect(page.locator("#player-status")).to_have_text("")
