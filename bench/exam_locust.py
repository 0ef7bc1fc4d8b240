"""The simulated exam takers of `exam_load.py` (Locust users), run in their own process: Locust patches the standard
library for gevent when imported, so nothing else of the benchmark runs here."""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

# isort: off
import gevent
from gevent.event import Event
from locust import (
    FastHttpUser,
    constant,
    task,
)  # first of the rest: it patches the standard library for gevent
from locust.env import Environment
from locust.exception import StopUser

from exam_load import PAGES, PASSWORD, QUIZ, SLUG

# isort: on

SHORT_ANSWERS = ("maklumat pelayanan", "standar pelayanan", "Maklumat Pelayanan")
SAFETY_SECONDS = 600.0


class Exam:
    """What the learners share: their accounts, the synchronised start, the think times and what each sent."""

    def __init__(self, options: argparse.Namespace, nips: list[str]) -> None:
        self.options = options
        self.accounts: Iterator[str] = iter(nips)
        self.count = len(nips)
        self.arrived = 0
        self.gave_up = 0
        self.finished = 0
        self.go = Event()
        self.sent: dict[str, dict[str, Any]] = {}
        self.broken: Counter[str] = Counter()

    def arrive(self) -> None:
        """Wait at the quiz's start page until every learner is there (or can no longer come), then a little."""
        self.arrived += 1
        self._release_when_all_came()
        self.go.wait()
        gevent.sleep(abs(random.gauss(0.0, self.options.start_spread)))

    def think(self) -> None:
        """Half of one page's think time (a page holds two questions)."""
        low, high = self.options.think
        gevent.sleep(random.uniform(low, high) / 2)

    def leave(self, *, arrived: bool) -> None:
        """A learner is done (or failed); one who failed before the start no longer holds the others back."""
        self.finished += 1
        if not arrived:
            self.gave_up += 1
            self._release_when_all_came()

    def _release_when_all_came(self) -> None:
        if self.arrived + self.gave_up >= self.count:
            self.go.set()


EXAM: Exam | None = None


def _form_value(page: str, name: str) -> str:
    match = re.search(rf'name="{name}"[^>]*? value="([^"]*)"', page)
    if match is None:
        raise ValueError(f"no {name} in the page")
    return unescape(match.group(1))


def _answer_for(page: str, question: str) -> list[str]:
    """What a learner picks for one shown question: a radio option, a pair per matching row, or some text."""
    radios = re.findall(rf'type="radio" name="q{question}" value="([^"]+)"', page)
    if radios:
        return [random.choice(radios)]
    selects = re.findall(rf'<select [^>]*name="q{question}">(.*?)</select>', page, re.S)
    if selects:
        return [random.choice(re.findall(r'<option value="([^"]+)"', rows)) for rows in selects]
    return [random.choice(SHORT_ANSWERS)]


class ExamTaker(FastHttpUser):
    """One learner taking the exam once: log in, wait for the start, answer 8 pages with autosave, send."""

    wait_time = constant(0)
    network_timeout = 120.0
    connection_timeout = 120.0

    def on_start(self) -> None:
        assert EXAM is not None
        self.exam = EXAM
        # Locust tops the count up when early users stop: such a latecomer finds every account taken and stops.
        self.nip = next(self.exam.accounts, None)
        self.record: dict[str, Any] = {"attempt": None, "answers": {}, "submitted": False, "arrived": False}
        if self.nip is not None:
            self.exam.sent[self.nip] = self.record

    @task
    def take_exam(self) -> None:
        if self.nip is None:
            raise StopUser()
        try:
            self._take_exam()
        except Exception as error:  # noqa: BLE001  (a page that did not parse: counted, never hidden)
            self.exam.broken[f"{type(error).__name__}: {error}"] += 1
        finally:
            self.exam.leave(arrived=self.record["arrived"])
        raise StopUser()

    def _get(self, url: str, step: str, expect: str) -> str | None:
        with self.client.get(url, name=step, catch_response=True) as response:
            if response.status_code != 200 or expect not in (response.text or ""):
                response.failure(f"{step}: HTTP {response.status_code}")
                return None
            return response.text

    def _post(self, url: str, step: str, data: list[tuple[str, str]], *, json_answer: bool = False) -> Any:
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if json_answer:
            headers["Accept"] = "application/json"
        with self.client.post(
            url, name=step, data=urlencode(data), headers=headers, allow_redirects=False, catch_response=True
        ) as response:
            if json_answer and response.status_code == 200:
                return response.json()
            if not json_answer and response.status_code == 302:
                return response.headers["Location"]
            response.failure(f"{step}: HTTP {response.status_code}")
            return None

    def _take_exam(self) -> None:
        login = self._get("/masuk", "login page", 'name="csrf_token"')
        if login is None:
            return
        credentials = [("csrf_token", _form_value(login, "csrf_token")), ("identifier", self.nip),
                       ("password", PASSWORD)]  # fmt: skip
        if self._post("/masuk", "login", credentials) is None:
            return
        if self._get("/", "my learning", "elearn") is None:
            return
        start_page = self._get(f"/kursus/{SLUG}/{QUIZ}", "quiz start page", "Mulai mengerjakan")
        if start_page is None:
            return
        self.record["arrived"] = True
        self.exam.arrive()
        location = self._post(
            f"/kursus/{SLUG}/{QUIZ}/mulai", "start", [("csrf_token", _form_value(start_page, "csrf_token"))]
        )
        match = re.search(r"/kuis/(\d+)$", location or "")
        if match is None:
            return
        attempt = int(match.group(1))
        self.record["attempt"] = attempt
        page_url = f"/kuis/{attempt}"
        while True:
            page = self._get(page_url, "page", "data-attempt-form")
            if page is None:
                return
            token, revision, number = (
                _form_value(page, "token"),
                _form_value(page, "rev"),
                _form_value(page, "page"),
            )
            shown = re.findall(r'name="shown" value="(\d+)"', page)
            chosen: dict[str, list[str]] = {}
            for question in shown:
                self.exam.think()
                chosen[question] = _answer_for(page, question)
                body = [("token", token), ("rev", revision), ("shown", question)]
                body += [(f"q{question}", value) for value in chosen[question]]
                saved = self._post(f"/kuis/{attempt}/jawab", "autosave", body, json_answer=True)
                if saved is not None:
                    revision = str(saved["revision"])
                    if int(question) in saved["saved"]:
                        self.record["answers"][question] = chosen[question]
            last = 'value="next"' not in page
            form = [
                ("token", token),
                ("rev", revision),
                ("page", number),
                ("go", "review" if last else "next"),
            ]
            for question, values in chosen.items():
                form.append(("shown", question))
                form += [(f"q{question}", value) for value in values]
            location = self._post(f"/kuis/{attempt}/jawab", "next", form)
            if location is None:
                return
            self.record["answers"].update(chosen)
            if last:
                break
            page_url = location
        review = self._get(f"/kuis/{attempt}/periksa", "review", "Kirim jawaban")
        if review is None:
            return
        sent = self._post(f"/kuis/{attempt}/kirim", "submit", [("token", _form_value(review, "token"))])
        if sent is None:
            return
        self.record["submitted"] = True
        self._get(sent, "result", "elearn")


def run_load(host: str, folder: Path) -> None:
    """Run every learner once (bounded in time), then write the figures and what each learner sent."""
    global EXAM
    options = argparse.Namespace(**json.loads((folder / "options.json").read_text()))
    nips = json.loads((folder / "learners.json").read_text())
    EXAM = Exam(options, nips)
    environment = Environment(user_classes=[ExamTaker], host=host)
    runner = environment.create_local_runner()
    started = time.monotonic()
    runner.start(len(nips), spawn_rate=len(nips) / max(options.ramp, 0.001))
    slowest = options.ramp + options.start_spread * 4 + PAGES * options.think[1]
    deadline = started + 2 * slowest + SAFETY_SECONDS  # an overloaded server is measured, not cut short
    while EXAM.finished < len(nips) and time.monotonic() < deadline:
        gevent.sleep(1.0)
    seconds = time.monotonic() - started
    runner.quit()
    steps = {
        entry.name: {
            "requests": entry.num_requests,
            "errors": entry.num_failures,
            "p50": entry.get_response_time_percentile(0.5) or 0,
            "p95": entry.get_response_time_percentile(0.95) or 0,
            "max": entry.max_response_time or 0,
        }
        for entry in environment.stats.entries.values()
    }
    errors = {
        f"{error.name}: {error.error}": error.occurrences for error in environment.stats.errors.values()
    }
    errors.update(EXAM.broken)
    unfinished = len(nips) - EXAM.finished
    if unfinished:
        errors[f"{unfinished} learners still running at the time limit"] = unfinished
    (folder / "results.json").write_text(
        json.dumps({"seconds": seconds, "steps": steps, "errors": errors, "learners": EXAM.sent})
    )


if __name__ == "__main__":
    run_load(sys.argv[1], Path(sys.argv[2]))
