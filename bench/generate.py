"""Write a synthetic fact set of N deals in the real fact-file format.

    python bench/generate.py 10000 bench/.data/10000

The set is deterministic (seeded) and valid under
``autoalliances validate --no-bundled DIR``. Every id starts with ``syn-`` and
every name with a syllable word plus a number, so nothing clashes with the
bundled facts: the benchmark queries the set *on top of* the bundled facts
(``--facts DIR``), the way a user adds a data set of their own.

For N deals it writes (at most RECORDS_PER_FILE records per file, one folder
per record type, like the bundled facts but with many records per file):

- N // 25 automakers and N // 50 technology companies (at least 20 of each),
  every 10th automaker with a joint venture below it;
- N // 25 systems (two per technology company), N // 10 car models,
  N // 5 figures and max(5, N // 1000) sources;
- N deals: one automaker, one or two technology partners, announced between
  2015 and 2026 at day, month, quarter or year precision, so
  ``deals --company syn-auto-0007 --year 2024`` returns a handful of deals at
  every size (the first three deals are that company's, in 2024).

Only the standard library is used; the YAML is written by hand (strings as
JSON, which is valid YAML double-quoted text) because PyYAML's emitter would
take minutes for 100,000 deals. Records are generated and written one file at
a time, so even a million deals (about 0.9 GB of files, under a minute) need
little memory.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

SEED = 20250326
RECORDS_PER_FILE = 1000
GENERATOR_VERSION = "2"  # bump when the output changes, so bench/.data is regenerated
YEARS = range(2015, 2027)
QUERY_COMPANY = "syn-auto-0007"  # an automaker that exists at every size
QUERY_YEAR = 2024
BYTES_PER_DEAL = 900  # the set takes about this much disk per deal (90 MB at 100,000, 0.9 GB at 1,000,000)

SYLLABLES = ["ka", "ro", "mi", "tel", "van", "sor", "lu", "ne", "qui", "dra", "po", "zen", "bri", "fal", "mor", "tas", "vi", "len", "cor", "hal"]
WORDS = ["cockpit", "assistant", "platform", "driving", "voice", "navigation", "battery", "cell", "chip", "sensor", "lidar", "camera", "software", "update", "cloud", "service", "map", "parking", "charging", "range", "model", "cabin", "display", "app", "agent", "supplier", "plant", "market", "region", "launch", "version", "partner", "program", "system", "module", "data"]
DEAL_KINDS = ("partnership", "co-development", "investment", "supply", "joint-venture")
DOMAINS = (
    "cockpit-os", "ai-assistant", "driver-assistance", "battery",
    "digital-services", "connectivity", "r-and-d", "manufacturing",
)
DEAL_STATUSES = ("announced", "planned", "in-development", "in-production", "reported", "ongoing")
SYSTEM_KINDS = ("operating-system", "ai-model", "ai-assistant", "driver-assistance", "chip", "app")
TECH_KINDS = ("technology", "ai", "driver-assistance", "chipmaker", "battery")
COUNTRIES = ("China", "Germany", "Japan", "France", "Korea", "United States", None)
POWERTRAINS = ("bev", "phev", "hev", "ice")
BODIES = ("sedan", "SUV", "hatchback", "MPV", None)
METRICS = ("sales", "deliveries", "market-share", "revenue", "investment")
REGIONS = ("China", "global", "Europe")


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def ylist(key: str, items: list[str], pad: str = "  ") -> list[str]:
    if not items:
        return [f"{pad}{key}: []"]
    return [f"{pad}{key}:"] + [f"{pad}- {x}" for x in items]


class Gen:
    def __init__(self, deals: int, seed: int = SEED) -> None:
        self.n = deals
        self.rng = random.Random(seed)
        r = self.rng
        self.n_sources = max(5, deals // 1000)
        self.n_auto = max(20, deals // 25)
        self.n_tech = max(20, deals // 50)
        self.n_systems = 2 * self.n_tech
        self.n_models = max(20, deals // 10)
        self.n_figures = max(20, deals // 5)
        self.sources = [f"syn-source-{i:04d}" for i in range(self.n_sources)]
        self.autos = [f"syn-auto-{i:04d}" for i in range(self.n_auto)]
        self.techs = [f"syn-tech-{i:04d}" for i in range(self.n_tech)]
        self.jvs = [(f"syn-jv-{i:04d}", a, r.choice(self.techs)) for i, a in enumerate(self.autos[::10])]
        self.systems = [(f"syn-system-{i:05d}", self.techs[i // 2]) for i in range(self.n_systems)]
        self.models = [(f"syn-model-{i:05d}", r.choice(self.autos)) for i in range(self.n_models)]
        self.models_of: dict[str, list[str]] = {}
        for mid, maker in self.models:
            self.models_of.setdefault(maker, []).append(mid)
        self.systems_of: dict[str, list[str]] = {}
        for sid, vendor in self.systems:
            self.systems_of.setdefault(vendor, []).append(sid)

    # --- small pieces ---------------------------------------------------------------

    def auto_name(self, cid: str) -> str:
        return self.name(int(cid.rsplit("-", 1)[1]), "Motors")

    def tech_name(self, cid: str) -> str:
        return self.name(int(cid.rsplit("-", 1)[1]), "Tech")

    def name(self, i: int, suffix: str) -> str:
        r = random.Random(i * 7919 + len(suffix))
        word = "".join(r.choice(SYLLABLES) for _ in range(2)).capitalize()
        return f"{word} {suffix} {i}"

    def sentence(self, n: int = 12) -> str:
        words = self.rng.choices(WORDS, k=n)
        return " ".join(words).capitalize() + "."

    def cite(self) -> list[str]:
        k = 1 if self.rng.random() < 0.8 else 2
        return self.rng.sample(self.sources, k)

    def date(self, year: int | None = None) -> str:
        r = self.rng
        y = year if year is not None else r.choice(YEARS)
        form = r.random()
        if form < 0.4:
            return f"{y}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}"
        if form < 0.7:
            return f"{y}-{r.randint(1, 12):02d}"
        if form < 0.85:
            return f"{y}-Q{r.randint(1, 4)}"
        if form < 0.95:
            return str(y)
        return f"{y}-{r.choice(('spring', 'summer', 'autumn', 'early', 'late'))}"

    def sources_block(self, srcs: list[str], pad: str = "  ") -> list[str]:
        return ylist("sources", srcs, pad)

    def note(self) -> list[str]:
        lines = [f"  - text: {q(self.sentence(14))}", "    sources:"]
        lines += [f"    - {s}" for s in self.cite()]
        return lines

    def milestone(self, year: int) -> list[str]:
        lines = [
            f"  - date: {q(self.date(year))}",
            f"    event: {q(self.rng.choice(('launch', 'start of production', 'debut', 'first delivery')))}",
            f"    status: {self.rng.choice(('planned', 'reported'))}",
            "    sources:",
        ]
        lines += [f"    - {s}" for s in self.cite()]
        return lines

    def amount(self, pad: str, unit: str | None = None) -> list[str]:
        r = self.rng
        unit = unit or r.choice(("EUR", "USD", "CNY"))
        lines = [
            f"{pad}amount: {round(r.uniform(1, 999), 1)}",
            f"{pad}scale: {r.choice(('million', 'billion')) if unit in ('EUR', 'USD', 'CNY') else 'null'}",
            f"{pad}unit: {unit}",
            f"{pad}qualifier: {r.choice(('exact', 'about', 'more-than'))}",
        ]
        return lines

    # --- records ---------------------------------------------------------------------

    def source_records(self) -> Iterator[list[str]]:
        for i, sid in enumerate(self.sources):
            yield [
                f"- id: {sid}",
                f"  title: {q('Synthetic article ' + str(i))}",
                f"  outlet: {q('Synthetic Wire')}",
                f"  published: {q(self.date())}",
                "  author: null",
                "  language: en",
                f"  url: https://example.com/synthetic/{sid}",
                "  notes: null",
            ]

    def company_records(self) -> Iterator[list[str]]:
        r = self.rng
        for i, cid in enumerate(self.autos):
            rec = [
                f"- id: {cid}",
                f"  name: {q(self.name(i, 'Motors'))}",
                "  kind: automaker",
                f"  country: {q(c) if (c := r.choice(COUNTRIES)) else 'null'}",
                *ylist("aliases", [q(self.name(i, 'Auto'))]),
                "  parents: []",
                f"  description: {q(self.sentence())}",
            ]
            if r.random() < 0.3:
                rec += ["  notes:", *self.note()]
            rec += self.sources_block(self.cite())
            yield rec
        for i, cid in enumerate(self.techs):
            yield [
                f"- id: {cid}",
                f"  name: {q(self.name(i, 'Tech'))}",
                f"  kind: {r.choice(TECH_KINDS)}",
                f"  country: {q('China')}",
                "  aliases: []",
                f"  description: {q(self.sentence())}",
                *self.sources_block(self.cite()),
            ]
        for i, (jid, auto, tech) in enumerate(self.jvs):
            yield [
                f"- id: {jid}",
                f"  name: {q(self.name(i, 'Joint Venture'))}",
                "  kind: joint-venture",
                f"  country: {q('China')}",
                *ylist("parents", [auto, tech]),
                f"  description: {q(self.sentence())}",
                *self.sources_block(self.cite()),
            ]

    def system_records(self) -> Iterator[list[str]]:
        r = self.rng
        for i, (sid, vendor) in enumerate(self.systems):
            rec = [
                f"- id: {sid}",
                f"  name: {q(self.name(i, 'OS'))}",
                f"  kind: {r.choice(SYSTEM_KINDS)}",
                f"  vendor: {vendor}",
                f"  version: {q(f'{r.randint(1, 6)}.{r.randint(0, 9)}')}",
                "  family: null",
                "  aliases: []",
                f"  description: {q(self.sentence())}",
                "  milestones:",
                *self.milestone(r.choice(YEARS)),
                *self.sources_block(self.cite()),
            ]
            yield rec

    def model_records(self) -> Iterator[list[str]]:
        r = self.rng
        for i, (mid, maker) in enumerate(self.models):
            systems = [s for s, _ in r.sample(self.systems, r.randint(0, 3))]
            body = r.choice(BODIES)
            yield [
                f"- id: {mid}",
                f"  name: {q(self.name(i, 'Model'))}",
                f"  maker: {maker}",
                "  producer: null",
                f"  body: {q(body) if body else 'null'}",
                "  segment: null",
                *ylist("powertrains", r.sample(POWERTRAINS, r.randint(1, 2))),
                "  platform: null",
                f"  market: {q(r.choice(REGIONS))}",
                *ylist("systems", systems),
                f"  description: {q(self.sentence())}",
                "  milestones:",
                *self.milestone(r.choice(YEARS)),
                *self.sources_block(self.cite()),
            ]

    def deal_records(self) -> Iterator[list[str]]:
        r = self.rng
        for i in range(self.n):
            company = r.choice(self.autos)
            partners = r.sample(self.techs, 1 if r.random() < 0.7 else 2)
            year = r.choice(YEARS)
            if i < 3:  # the benchmark's query never comes back empty
                company, year = QUERY_COMPANY, QUERY_YEAR
            models = r.sample(self.models_of.get(company, []), min(1, len(self.models_of.get(company, []))))
            systems = [s for p in partners for s in self.systems_of[p][: r.randint(0, 1)]]
            srcs = self.cite()
            rec = [
                f"- id: syn-deal-{i:06d}",
                f"  title: {q(f'{self.auto_name(company)} and {self.tech_name(partners[0])} deal {i}')}",
                f"  company: {company}",
                *ylist("partners", partners),
                "  unnamed_partner: null",
                f"  kind: {r.choice(DEAL_KINDS)}",
                *ylist("domains", r.sample(DOMAINS, r.randint(1, 3))),
                f"  announced: {q(self.date(year))}",
                f"  status: {r.choice(DEAL_STATUSES)}",
            ]
            if r.random() < 0.2:
                rec += ["  value:", *self.amount("    ")]
            else:
                rec += ["  value: null"]
            rec += [
                *ylist("models", models),
                *ylist("systems", systems),
                f"  description: {q(self.sentence(20))}",
                "  milestones:",
                *self.milestone(min(year + 1, YEARS[-1])),
            ]
            if r.random() < 0.3:
                rec += ["  notes:", *self.note()]
            else:
                rec += ["  notes: []"]
            rec += self.sources_block(srcs)
            yield rec

    def figure_records(self) -> Iterator[list[str]]:
        r = self.rng
        for i in range(self.n_figures):
            company = r.choice(self.autos)
            metric = r.choice(METRICS)
            unit = {"sales": "vehicles", "deliveries": "vehicles", "market-share": "percent"}.get(metric)
            rec = [
                f"- id: syn-figure-{i:06d}",
                f"  company: {company}",
                "  scope: null",
                f"  metric: {metric}",
                f"  region: {q(r.choice(REGIONS))}",
                f"  period: {q(str(r.choice(YEARS)))}",
                f"  status: {r.choice(('reported', 'target', 'plan'))}",
                "  value:",
                *self.amount("    ", unit),
            ]
            if r.random() < 0.5:
                rec += ["  change:", f"    amount: {round(r.uniform(-30, 30), 1)}", "    unit: percent", "    basis: year-on-year"]
            else:
                rec += ["  change: null"]
            rec += [
                "  attributed_to: null",
                "  system: null",
                "  model: null",
                f"  description: {q(self.sentence(8))}",
                *self.sources_block(self.cite()),
            ]
            yield rec


def write_set(
    deals: int,
    out: Path,
    seed: int = SEED,
    per_file: int = RECORDS_PER_FILE,
    progress: Callable[[str, int], None] | None = None,
) -> dict[str, int]:
    """Write the set for *deals* deals into *out* (replaced); return record counts by top-level key.

    Records are generated and written a file at a time (at most *per_file* in
    memory), so a set of a million deals needs little memory, only disk space
    (see ``BYTES_PER_DEAL``). *progress*, if given, is called with the record
    type and the number of its records written so far after each file.
    """
    if out.exists():
        shutil.rmtree(out)
    g = Gen(deals, seed)
    # The order matters: every part draws from the same random generator.
    parts: dict[str, Callable[[], Iterator[list[str]]]] = {
        "sources": g.source_records,
        "companies": g.company_records,
        "systems": g.system_records,
        "models": g.model_records,
        "deals": g.deal_records,
        "figures": g.figure_records,
    }
    counts = {}
    for key, records in parts.items():
        folder = out / key
        folder.mkdir(parents=True, exist_ok=True)
        written = 0
        for n, chunk in enumerate(chunks(records(), per_file)):
            text = f"# synthetic {key} {written}-{written + len(chunk) - 1} (bench/generate.py, seed {seed})\n{key}:\n"
            text += "\n".join(line for rec in chunk for line in rec) + "\n"
            (folder / f"{key}-{n:04d}.yaml").write_text(text, encoding="utf-8")
            written += len(chunk)
            if progress is not None:
                progress(key, written)
        counts[key] = written
    return counts


def chunks(items: Iterator[list[str]], size: int) -> Iterator[list[list[str]]]:
    chunk: list[list[str]] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def set_size(folder: Path) -> tuple[int, int]:
    """(number of fact files, their total size in bytes) under *folder*."""
    files = total = 0
    for d, _, names in os.walk(folder):
        for name in names:
            if name.endswith(".yaml"):
                files += 1
                total += os.path.getsize(os.path.join(d, name))
    return files, total


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("deals", type=int, help="number of deals")
    ap.add_argument("out", type=Path, help="folder to write (replaced)")
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--per-file", type=int, default=RECORDS_PER_FILE, help="records per file")
    a = ap.parse_args(argv)
    counts = write_set(a.deals, a.out, a.seed, a.per_file)
    files = sum(1 for _, _, fs in os.walk(a.out) for f in fs if f.endswith(".yaml"))
    print(f"{a.out}: {sum(counts.values())} records in {files} files: " + ", ".join(f"{v} {k}" for k, v in counts.items()))


if __name__ == "__main__":
    main()
