"""A teacher in headless Chromium, inside the practice LMS: a quiz from an uploaded document,
one question fixed, and the quiz downloaded for another LMS."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.fakes.openai_server import FakeOpenAI
from tests.lti.conftest import Lti
from tests.teacher.test_browser_flow import shoot

pytestmark = pytest.mark.browser

MATERIAL = (
    "Chlorophyll is the green pigment that captures light energy in the leaf.\n"
    "Plants take in carbon dioxide through stomata and release oxygen.\n"
)


def test_a_teacher_makes_a_quiz_from_a_document_fixes_a_question_and_downloads_it(
    live: Lti, page: Page, slow_model: FakeOpenAI, tmp_path: Path
) -> None:
    slow_model.latency = 0.5
    notes = tmp_path / "leaf-notes.txt"
    notes.write_text(MATERIAL, encoding="utf-8")
    page.goto(live.config.course_url("science-7"))
    page.get_by_role("button", name="Open EduTeach as Ms. Rivera").click()
    tool = page.frame_locator("#tool-frame")
    expect(tool.locator("body")).to_have_attribute("data-role", "teacher", timeout=15_000)

    tool.locator('a[href*="/teacher/new/quiz"]').click()
    expect(tool.get_by_role("heading", level=1)).to_have_text("New quiz")
    tool.get_by_label("Subject").fill("Science")
    tool.get_by_label("Grade").select_option("7")
    tool.get_by_label("The topic").fill("How plants make food: photosynthesis and the leaf")
    tool.get_by_label("Number of questions").fill("5")
    tool.get_by_label("Multiple answer (choose all that apply)").check()
    tool.get_by_label("Source files").set_input_files(str(notes))
    shoot(page, "21_quiz_form")
    tool.get_by_role("button", name="Create the draft").click()

    expect(tool.get_by_role("heading", level=1)).to_have_text(
        "Photosynthesis check-up", timeout=20_000
    )
    # Each question shows the sentence of the document it comes from.
    expect(tool.locator("#item-0 .source-quote")).to_contain_text(
        "Chlorophyll is the green pigment that captures light energy in the leaf."
    )
    shoot(page, "22_quiz_review")
    prompt = slow_model.requests[0]["messages"][1]["content"]
    assert "Chlorophyll is the green pigment that captures light energy" in prompt

    tool.get_by_role("link", name="Edit question 1").click()
    form = tool.locator("form.item-edit")
    form.get_by_label("Question", exact=True).fill("Which gas do leaves take in from the air?")
    form.get_by_role("button", name="Save question").click()
    expect(tool.locator("[data-notice]")).to_contain_text("version 2")
    expect(tool.locator("#item-0")).to_contain_text("Which gas do leaves take in from the air?")
    shoot(page, "23_quiz_fixed")

    with page.expect_download() as download_info:
        tool.get_by_role("link", name="Common Cartridge (any LMS)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".imscc")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    with zipfile.ZipFile(io.BytesIO(saved.read_bytes())) as package:
        assert "imsmanifest.xml" in package.namelist()
        xml = "".join(
            package.read(name).decode("utf-8")
            for name in package.namelist()
            if name.endswith(".xml") and name != "imsmanifest.xml"
        )
    assert "Which gas do leaves take in from the air?" in xml
