"""Deterministic synthetic archive pages, shaped like the Wilson Center's search results.

Every page is a text copy of a search-result page: "Skip to content", the counter
"N - M of T", then ten entries of a date line, a title line and a one-paragraph
summary. Titles follow the archive's kinds ("Record of a Meeting Between X and Y",
"Cable, X to Y", "Journal of Soviet Ambassador ... for <date>" ...); names come from
the shipped gazetteer (canonical names and aliases) and from invented people; some
documents appear on two pages (duplicates to merge) and the last entry of a page is
sometimes cut off mid-sentence (truncated), as real copies are.

Only the standard library and kg's gazetteer are used; the same seed gives the same
pages byte for byte.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

ENTRIES_PER_PAGE = 10
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
_SYLLABLES = ("ko", "va", "len", "mir", "zhang", "wei", "ta", "ni", "ro", "shan", "dor", "bek", "li", "min",
              "sar", "gu", "pol", "ev", "an", "chen", "hu", "kim", "jong", "ra", "mu", "del", "sto", "ya", "ri", "os")
_GIVEN = ("Ivan", "Pyotr", "Nikolai", "Sergei", "Andrei", "Li", "Wang", "Zhang", "Pak", "Ri", "Janos", "Karel",
          "Enver", "Todor", "Gustav", "Wladyslaw", "Nguyen", "Tran", "Ahmed", "Jose", "Pedro", "Otto", "Hans")
_ROLES = ("Ambassador", "Minister of Foreign Affairs", "Chargé d'Affaires", "Counselor", "First Secretary",
          "Deputy Foreign Minister", "Premier", "Chairman", "General", "Comrade")
_VERBS = ("discuss", "review", "exchange views on", "debate", "consider", "outline", "address")
_SAY = ("informs", "tells", "asks", "assures", "reports to", "complains to", "thanks")
_MEET = ("meets with", "receives", "talks with", "speaks with")
_LOWER_TOPICS = ("economic aid", "military assistance", "the border dispute", "railway construction",
                 "grain deliveries", "the international situation", "party relations", "trade negotiations",
                 "the nuclear question", "student exchanges", "fishing rights", "the repatriation of prisoners",
                 "oil supplies", "the treaty negotiations", "the armistice talks", "technical specialists",
                 "the cultural revolution", "the peace movement", "reparations", "the united front")
_FILLER = (
    "The conversation also touches on", "Both sides agree to continue consultations about",
    "He stresses the importance of", "The report notes growing concern over",
    "They express hope for an improvement in", "The document summarizes the position of the government on",
    "Further discussion concerns", "The ambassador notes that the situation regarding",
    "He requests additional information about", "The memorandum describes recent developments in",
)
_ENDINGS = ("remains tense.", "will be settled soon.", "requires further study.", "has improved considerably.",
            "should be raised at the next meeting.", "is a matter for the Central Committee.",
            "cannot be postponed.", "was discussed at length.")


@dataclass(frozen=True)
class Names:
    people: tuple[str, ...]
    places: tuple[str, ...]
    organizations: tuple[str, ...]
    topics: tuple[str, ...]


def gazetteer_names() -> Names:
    """Names from the shipped gazetteer: canonical names and aliases, as the archive spells them."""
    from kg.gazetteer import load_gazetteer

    gazetteer = load_gazetteer()
    by_kind: dict[str, list[str]] = {"person": [], "place": [], "organization": [], "topic": []}
    for entry in gazetteer.entries:
        by_kind[entry.kind].extend(n for n in entry.names if len(n) > 2)
    return Names(*(tuple(by_kind[k]) for k in ("person", "place", "organization", "topic")))


class Generator:
    """Makes documents (date, title, summary) from a seed."""

    def __init__(self, seed: int = 1945, names: Names | None = None) -> None:
        self.random = random.Random(seed)
        self.names = names or gazetteer_names()
        # Invented people: the model and the rules, not the gazetteer, must find these.
        rnd = self.random
        self.invented = tuple(
            f"{rnd.choice(_GIVEN)} {''.join(rnd.choice(_SYLLABLES) for _ in range(rnd.randint(2, 3))).capitalize()}"
            for _ in range(3000)
        )
        self.initialed = tuple(
            f"{rnd.choice('ABCDEFGIKLMNPSTVY')}.{rnd.choice('ABDFGIMNPSV')}. {name.split()[-1]}"
            for name in self.invented[:800]
        )

    # -- pieces --------------------------------------------------------------------------------
    def person(self) -> str:
        roll = self.random.random()
        if roll < 0.55:
            return self.random.choice(self.names.people)
        if roll < 0.85:
            return self.random.choice(self.invented)
        return self.random.choice(self.initialed)

    def place(self) -> str:
        return self.random.choice(self.names.places)

    def organization(self) -> str:
        return self.random.choice(self.names.organizations)

    def topic(self) -> str:
        if self.random.random() < 0.4:
            return self.random.choice(self.names.topics)
        return self.random.choice(_LOWER_TOPICS)

    def date(self) -> tuple[str, str]:
        """(date line, the same date as a title writes it)."""
        rnd = self.random
        year, month, day = rnd.randint(1945, 1991), rnd.randrange(12), rnd.randint(1, 28)
        roll = rnd.random()
        if roll < 0.85:
            return f"{MONTHS[month]} {day}, {year}", f"{day} {MONTHS[month]} {year}"
        if roll < 0.97:
            return f"{MONTHS[month]} {year}", f"{MONTHS[month]} {year}"
        return f"{year}", f"{year}"

    def title(self, in_title: str) -> str:
        rnd = self.random
        a, b = self.person(), self.person()
        kind = rnd.randrange(10)
        if kind == 0:
            return f"Record of a Meeting Between {a} and {b}"
        if kind == 1:
            return f"Cable{rnd.choice(['', f' No. {rnd.randint(100, 99999)}'])}, {a} to {b}"
        if kind == 2:
            return f"Letter from {a} to {b}"
        if kind == 3:
            return f"Memorandum of Conversation between {a} and {b}"
        if kind == 4:
            return f"Journal of Soviet Ambassador in the {self.place()} {a} for {in_title}"
        if kind == 5:
            return f"{a}'s Report for {b}"
        if kind == 6:
            return f"Telegram from {a} to {self.organization()}"
        if kind == 7:
            return f"From the Journal of {a}, 'Record of a Conversation with {rnd.choice(_ROLES)} {b}'"
        if kind == 8:
            return f"Minutes of Conversation between {a}, {b} and {self.person()}, {in_title}"
        return f"Report on {self.topic().removeprefix('the ').title()} in {self.place()}"

    def summary(self) -> str:
        """A paragraph of 20 to 80 words."""
        rnd = self.random
        target = rnd.randint(20, 80)
        sentences: list[str] = []
        words = 0
        while words < target:
            roll = rnd.random()
            if roll < 0.3:
                s = f"{self.person()} and {self.person()} {rnd.choice(_VERBS)} {self.topic()} and the situation in {self.place()}."
            elif roll < 0.55:
                s = f"{self.person()} {rnd.choice(_SAY)} {rnd.choice(_ROLES)} {self.person()} about {self.topic()}."
            elif roll < 0.7:
                s = f"{self.person()} {rnd.choice(_MEET)} the {self.organization()} delegation in {self.place()}."
            else:
                s = f"{rnd.choice(_FILLER)} {self.topic()} in {self.place()}, which {rnd.choice(_ENDINGS)}"
            if words >= 20 and words + len(s.split()) > 80:
                break
            sentences.append(s)
            words += len(s.split())
        return " ".join(sentences)

    def document(self) -> tuple[str, str, str]:
        line, in_title = self.date()
        return line, self.title(in_title), self.summary()


def write_pages(folder: str | Path, documents: int, *, seed: int = 1945, duplicates: float = 0.03,
                truncated: float = 0.3, first_page: int = 1, generator: Generator | None = None) -> list[Path]:
    """Write about ``documents`` unique documents as pages of ten entries into ``folder``.

    A share ``duplicates`` of the entries repeat an entry of an earlier page (the same
    document listed twice); the last entry of a share ``truncated`` of the pages is cut
    off mid-sentence. Returns the pages written, in order.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    gen = generator or Generator(seed)
    rnd = gen.random
    seen: list[tuple[str, str, str]] = []
    entries: list[tuple[str, str, str]] = []
    while len(seen) < documents:
        if seen and rnd.random() < duplicates:
            entries.append(rnd.choice(seen))
        else:
            entry = gen.document()
            seen.append(entry)
            entries.append(entry)
    total = len(entries)
    paths = []
    for number, offset in enumerate(range(0, total, ENTRIES_PER_PAGE), start=first_page):
        page = entries[offset: offset + ENTRIES_PER_PAGE]
        lines = ["Skip to content", "", "", f"{offset + 1} - {offset + len(page)} of {total}", "", ""]
        for i, (date, title, summary) in enumerate(page):
            if i == len(page) - 1 and rnd.random() < truncated:
                words = summary.split()
                summary = " ".join(words[: max(3, len(words) * 2 // 3)]).rstrip(".,")
            lines += [date, "", title, "", summary, ""]
        path = folder / f"page-{number:06d}.txt"
        path.write_text("\n".join(lines), encoding="utf-8")
        paths.append(path)
    return paths
