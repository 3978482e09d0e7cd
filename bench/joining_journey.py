"""The joining journey on a phone: screens, taps and typed characters of a rider applying to join, and the
time it takes a person, estimated from them. A measurement, not a test (never run by CI).

    .venv/bin/python bench/joining_journey.py

It builds a scratch database (SQLite under /tmp, migrated, with the test cast of unions), serves the site on
a local port, and drives Debian's Chromium at 390×844 through two journeys of a food-delivery rider with the
ID card at hand: scanning a union's join code (the poster at a rider station) and applying from /join/ with
the work place picked down to the street. Each journey is run twice: typed right the first time, and with one
wrong digit in the ID number, so that the form comes back with an error and whatever it lost must be typed
again. Every field is filled the way a person would: typed if it is empty, left if the page kept it.

The time is a keystroke-level estimate (Card, Moran & Newell's KLM, with phone figures): a constant per
screen (it loads and is read), per tap, per character typed (digits on the numeric keypad; Chinese by
pinyin) and the wait for the text message. The figures measured before the change (the same script, run at
commit 604f100) are printed beside today's. Results: docs/bench.md.
"""

import logging
import os
import re
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
SCRATCH = Path(tempfile.mkdtemp(prefix="gonghui-joining-bench-"))
os.environ["GONGHUI_VAR_DIR"] = str(SCRATCH)
os.environ["DATABASE_URL"] = f"sqlite:///{SCRATCH / 'bench.sqlite3'}"
os.environ["GONGHUI_SMS_BACKEND"] = "locmem"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gonghui.settings")
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop in this thread

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test.testcases import LiveServerThread, _StaticFilesHandler  # noqa: E402

from gonghui.core import sms  # noqa: E402
from gonghui.joining import services  # noqa: E402
from gonghui.testing.browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from gonghui.testing.cast import build_cast, valid_id  # noqa: E402

# Seconds a person spends (KLM operators, phone figures): a screen loads and is read, a tap (finding the
# target included), a digit on the numeric keypad, a Chinese character by pinyin (about 3 letters and the
# choice), a Latin letter or sign, waiting for and reading the SMS, glancing at the ID card for its number.
SCREEN, TAP, DIGIT, HANZI, LETTER, SMS_WAIT, ID_CARD_LOOK = 3.0, 1.1, 0.45, 1.6, 0.6, 12.0, 4.0
NAME, PASSWORD = "赵强", "Qishou2026!x"
# Measured with this script at commit 604f100 (before issue 9's joining-form changes).
BEFORE = {
    "扫码入会": {"screens": 4, "taps": 12, "typed": 61, "seconds": 73},
    "扫码入会，身份证号输错一位": {"screens": 5, "taps": 17, "typed": 103, "seconds": 103},
    "自行申请（地区选到街道）": {"screens": 4, "taps": 20, "typed": 61, "seconds": 82},
    "自行申请，身份证号输错一位": {"screens": 5, "taps": 25, "typed": 103, "seconds": 112},
}


@dataclass
class Journey:
    """Counts what the person does on the page."""

    page: object
    screens: int = 0
    taps: int = 0
    digits: int = 0
    hanzi: int = 0
    letters: int = 0
    lost: list = field(default_factory=list)  # fields that came back empty after an error
    after_error: bool = False

    def __post_init__(self):
        self.page.on("load", lambda _page: self._screen())

    def _screen(self):
        self.screens += 1

    def tap(self, selector: str):
        self.taps += 1
        self.page.click(selector)

    def type(self, selector: str, text: str):
        """Tap the field and type ``text``, unless the page kept it (it is shown already)."""
        box = self.page.locator(selector)
        shown = box.input_value()
        if shown == text:
            return
        self.taps += 1
        box.fill(text)
        if shown and len(shown) == len(text):  # the page kept a mistyped value: correct the wrong characters
            changed = sum(a != b for a, b in zip(shown, text, strict=True))
            self.digits += 2 * changed  # delete and retype each
            return
        if self.after_error:
            self.lost.append(selector)
        for char in text:
            if char.isdigit():
                self.digits += 1
            elif "\u4e00" <= char <= "\u9fff":
                self.hanzi += 1
            else:
                self.letters += 1

    def choose(self, selector: str, value: str):
        """A select: open it, pick the option (two taps), unless it already shows the value."""
        if self.page.locator(selector).input_value() == value:
            return
        self.taps += 2
        self.page.select_option(selector, value)

    def check(self, selector: str):
        if not self.page.locator(selector).is_checked():
            self.taps += 1
            self.page.check(selector)

    @property
    def typed(self) -> int:
        return self.digits + self.hanzi + self.letters

    def seconds(self, *, texts: int) -> float:
        return (self.screens * SCREEN + self.taps * TAP + self.digits * DIGIT + self.hanzi * HANZI
                + self.letters * LETTER + texts * SMS_WAIT + ID_CARD_LOOK)  # fmt: skip


def last_code() -> str:
    return re.search(r"验证码是 (\d{6})", sms.outbox[-1].text).group(1)


def fill_form(j: Journey, id_number: str, *, pick_region: bool):
    page = j.page
    j.type("#id_name", NAME)
    j.type("#id_id_number", id_number)
    j.choose("#id_employment_form", "food_delivery")
    if pick_region and page.locator("input[name=region]").input_value() != "330106004":
        for code in ("33", "3301", "330106", "330106004"):
            j.taps += 2
            page.locator("#region-picker select").last.select_option(code)
            page.wait_for_selector(f"input[name=region][value='{code}']", state="attached")
    for box in ("#id_password1", "#id_password2"):
        if page.locator(box).count():
            j.type(box, PASSWORD)
    j.check("#id_agree")


def run(base: str, browser, n: int, *, with_code: bool, typo: bool, code_token: str) -> tuple[Journey, float]:
    phone, id_number = f"1358888990{n}", valid_id(f"33010619950101{n + 10:03d}")
    page = browser.new_page(viewport={"width": 390, "height": 844})
    j = Journey(page)
    started = time.monotonic()
    page.goto(f"{base}/join/c/{code_token}/" if with_code else f"{base}/join/")
    j.type("#id_phone", phone)
    j.tap("button[type=submit]")
    page.wait_for_selector("#id_code")
    j.type("#id_code", last_code())
    j.tap("button[type=submit]")
    page.wait_for_selector("#id_name")
    wrong = id_number[:14] + str((int(id_number[14]) + 1) % 10) + id_number[15:]
    fill_form(j, wrong if typo else id_number, pick_region=not with_code)
    j.tap("button[type=submit]:has-text('提交')")
    if typo:
        page.wait_for_selector(".invalid-feedback")
        j.after_error = True
        fill_form(j, id_number, pick_region=not with_code)
        j.tap("button[type=submit]:has-text('提交')")
    page.wait_for_selector("h1:has-text('我的入会申请')")
    elapsed = time.monotonic() - started
    page.close()
    return j, elapsed


def reset():
    """Rate-limit counters start afresh for each journey (each has its own phone and ID number)."""
    from django.core.cache import cache

    cache.clear()


def main() -> None:
    from playwright.sync_api import sync_playwright

    logging.getLogger("django.request").setLevel(logging.ERROR)  # the 400 of the journey with an error
    call_command("migrate", verbosity=0)
    cast = build_cast()
    code = services.join_code_create(actor=cast.users.province_admin, org=cast.orgs.xixi, label="骑手驿站")
    server = LiveServerThread("127.0.0.1", _StaticFilesHandler)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    base = f"http://127.0.0.1:{server.port}"
    journeys = [("扫码入会", True, False), ("扫码入会，身份证号输错一位", True, True),
                ("自行申请（地区选到街道）", False, False), ("自行申请，身份证号输错一位", False, True)]  # fmt: skip
    print(f"{'journey':<28}{'screens':>14}{'taps':>14}{'typed':>14}{'est. seconds':>20}  retyped after error")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            for n, (label, with_code, typo) in enumerate(journeys):
                reset()
                j, _elapsed = run(base, browser, n, with_code=with_code, typo=typo, code_token=code.token)
                now = {"screens": j.screens, "taps": j.taps, "typed": j.typed, "seconds": j.seconds(texts=1)}
                was = BEFORE[label]
                cells = [f"{was[k]:g} → {now[k]:g}" for k in ("screens", "taps", "typed")]
                seconds = f"{was['seconds']:.0f} → {now['seconds']:.0f}"
                lost = "、".join(s.removeprefix("#id_") for s in j.lost)
                print(f"{label:<22}{cells[0]:>14}{cells[1]:>14}{cells[2]:>14}{seconds:>20}  {lost}")
        finally:
            browser.close()
    server.terminate()


if __name__ == "__main__":
    main()
