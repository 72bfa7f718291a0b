"""Real browsers (Debian's headless Chromium, driven by Selenium through Debian's
chromedriver): an attendee writes a letter in Spanish on the attendee page, previews it,
downloads its PDF and queues it; a second attendee (another browser, in English) queues
one; the organizer watches the counts change and prints the queue. Both PDFs are read back.

Without the browser the test is skipped on a developer's machine, but fails in CI (CI=true),
where ``.ci/run`` installs it. Set APPEAL_SCREENSHOTS=DIR to keep phone- and laptop-sized
screenshots of both pages.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import time
from pathlib import Path

import pytest

from ._web_util import pdf_text, running_server

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")


def _browser_or_fail():
    if CHROMIUM and DRIVER:
        return
    message = "headless Chromium and chromedriver are needed (apt-get install chromium " \
              "chromium-driver)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture
def browsers(tmp_path):
    """Start browsers (each its own profile: cookies, language, download folder)."""
    _browser_or_fail()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    started = []

    def start(lang: str = "es-MX,es"):
        downloads = tmp_path / f"downloads-{len(started)}"
        downloads.mkdir()
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                    "--disable-gpu", f"--lang={lang.split(',')[0]}", "--window-size=390,844",
                    "--hide-scrollbars"):
            options.add_argument(arg)
        options.add_experimental_option("prefs", {
            "intl.accept_languages": lang,
            "download.default_directory": str(downloads),
            "download.prompt_for_download": False,
        })
        driver = webdriver.Chrome(service=Service(executable_path=DRIVER), options=options)
        driver.downloads = downloads
        started.append(driver)
        return driver

    try:
        yield start
    finally:
        for driver in started:
            driver.quit()


def _wait_for_download(folder: Path, seen: set, timeout: float = 30) -> Path:
    """The next finished download. (Chromium started under pytest saves it as "download"
    instead of the Content-Disposition name, which test_web checks over HTTP; run alone, it
    uses the name. So it is moved aside here and recognised by its content.)"""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        names = [p for p in folder.iterdir() if p.name not in seen]
        busy = [p for p in names if p.name.startswith(".") or p.name.endswith(".crdownload")]
        done = [p for p in names if p not in busy]
        if done and not busy:
            kept = folder / f"got-{len(seen)}-{done[0].name}"
            done[0].rename(kept)
            seen.add(kept.name)
            return kept
        time.sleep(0.1)
    raise AssertionError(f"nothing downloaded into {folder}: {os.listdir(folder)}")


def _shoot(driver, name: str, width: int, height: int) -> None:
    where = os.environ.get("APPEAL_SCREENSHOTS")
    if not where:
        return
    driver.set_window_size(width, height)
    total = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(width, min(total + 100, 2400))
    driver.save_screenshot(str(Path(where) / name))


def test_spanish_attendee_writes_downloads_and_queues_then_organizer_prints(browsers, tmp_path):
    from babel.dates import format_date
    from selenium.webdriver.common.by import By

    from appeal.ledger import Ledger

    today = format_date(dt.date.today(), "long", locale="es_MX")
    seen: set = set()
    with running_server(tmp_path / "night", country="MX", lan=True) as (base, config, web):
        d = browsers()
        d.get(base + "/")
        assert d.find_element(By.TAG_NAME, "h1").text == "Únase a la escritura de cartas de " \
                                                          "esta noche"
        d.get(f"{base}/?code={config.code}")  # the join link of the QR code
        assert d.find_element(By.TAG_NAME, "h1").text == "Escriba su carta"
        assert d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "es"
        d.find_element(By.ID, "name").send_keys("Lucía Hernández")
        d.find_element(By.ID, "city").send_keys("Puebla")
        d.find_element(By.ID, "note").send_keys(
            "Soy maestra en Puebla y sigo este caso con preocupación.")
        d.find_element(By.ID, "preview-button").click()

        sheet = d.find_element(By.CSS_SELECTOR, 'article.sheet[data-target="president"]')
        text = sheet.text
        assert "Lucía Hernández" in text
        assert f"Puebla, {today}" in text
        assert "Señor Presidente:" in text
        assert "Soy maestra en Puebla" in text
        _shoot(d, "serve-attendee-phone.png", 390, 844)
        _shoot(d, "serve-attendee-laptop.png", 1280, 800)
        d.set_window_size(390, 844)

        d.find_element(By.CSS_SELECTOR, 'button[value="pdf:president"]').click()
        pdf = _wait_for_download(d.downloads, seen)
        assert pdf.read_bytes().startswith(b"%PDF-")
        letter = pdf_text(pdf.read_bytes())
        assert "Lucía Hernández" in letter
        assert today in letter
        assert "Señor Presidente:" in letter
        assert "Soy maestra en Puebla" in letter

        d.find_element(By.ID, "queue-button").click()
        assert "¡Gracias!" in d.find_element(By.ID, "queued").text
        assert len(web.night.queue()) == 1

        # The organizer, in the same browser (a second window would share the cookies).
        d.get(f"{base}/organizer?token={config.token}")
        assert d.find_element(By.TAG_NAME, "h1").text == "Organización"
        assert "Lucía Hernández" in d.find_element(By.CSS_SELECTOR, "table.queue").text
        assert d.find_element(By.ID, "join-code").text == config.code
        qr = d.find_element(By.CSS_SELECTOR, "img.qr")
        assert d.execute_script("return arguments[0].naturalWidth", qr) > 0  # allowed by CSP
        # A second attendee, on another phone set to English, queues a letter to the
        # president only: the organizer's counts follow without a reload (the page's only
        # script, allowed by the CSP).
        other = browsers("en-US,en")
        other.get(f"{base}/?code={config.code}")
        assert other.find_element(By.TAG_NAME, "h1").text == "Write your letter"
        other.find_element(By.CSS_SELECTOR, 'input[value="ambassador"]').click()
        other.find_element(By.ID, "name").send_keys("Pedro Ruiz")
        other.find_element(By.ID, "queue-button").click()
        assert "Thank you!" in other.find_element(By.ID, "queued").text
        caption = (By.CSS_SELECTOR, "#counts caption")
        deadline = time.monotonic() + 15
        while "3 cartas" not in d.find_element(*caption).text:
            assert time.monotonic() < deadline, d.find_element(*caption).text
            time.sleep(0.3)
        _shoot(d, "serve-organizer-laptop.png", 1280, 800)
        _shoot(d, "serve-organizer-phone.png", 390, 844)
        d.set_window_size(1280, 800)
        d.find_element(By.ID, "duplex").click()
        d.find_element(By.ID, "print-button").click()
        assert "impresas" in d.find_element(By.ID, "done").text
        links = d.find_elements(By.CSS_SELECTOR, "ul.files a")
        assert [a.text.split("-")[0] for a in links] == ["print", "envelopes"]
        links[0].click()
        printed = _wait_for_download(d.downloads, seen)

    from pypdf import PdfReader

    reader = PdfReader(str(printed))
    assert len(reader.pages) % 2 == 0  # duplex: every letter starts on a front side
    text = pdf_text(printed.read_bytes())
    assert text.count("Atentamente,") == 3  # one letter per official, and Pedro's
    assert text.count("Lucía Hernández") == 4  # each with sender line and signature
    assert text.count("Pedro Ruiz") == 2
    assert "Señor Presidente:" in text and "Señor Embajador:" in text
    assert today in text
    with Ledger() as ledger:
        assert {(t.target_id, t.channel): t.count for t in ledger.totals("ua-100.21")} == {
            ("president", "letter"): 2, ("ambassador", "letter"): 1}
