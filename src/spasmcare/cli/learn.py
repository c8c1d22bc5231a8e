"""``spasmcare learn [TOPIC]`` (plain-language topics) and ``spasmcare search "QUERY"``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from rich.console import Console

    from spasmcare.knowledge import KnowledgeBase
    from spasmcare.knowledge.search import SearchHit
    from spasmcare.knowledge.topics import Topic


def _render_text(text: str) -> str:
    """Topic text for the terminal: link words in bold (no internal ids: issue 12)."""
    from rich.markup import escape

    from spasmcare.knowledge.topics import LINK_RE

    out: list[str] = []
    last = 0
    for m in LINK_RE.finditer(text):
        out.append(escape(text[last : m.start()]))
        out.append(f"[bold]{escape(m.group(1))}[/]")
        last = m.end()
    out.append(escape(text[last:]))
    return " ".join("".join(out).split())


def _show_topic(console: Console, kb: KnowledgeBase, topic: Topic) -> None:
    from rich.markup import escape

    from spasmcare.knowledge.learn import link_title

    console.print(f"[bold underline]{escape(topic.title)}[/]", markup=True)
    console.print(escape(" ".join(topic.summary.split())), markup=True, style="italic")
    for section in topic.sections:
        console.print()
        console.print(f"[bold]{escape(section.heading)}[/]", markup=True)
        console.print(_render_text(section.body), markup=True)
    console.print()
    if topic.rules:
        console.print("[bold]Related warning signs[/]", markup=True)
        for rid in topic.rules:
            console.print(f"  {link_title(kb, 'rule', rid)}", markup=False)
    if topic.care:
        console.print("[bold]Related care[/]", markup=True)
        for cid in topic.care:
            console.print(f"  {link_title(kb, 'care', cid)}", markup=False)
    if topic.see_also:
        console.print("[bold]See also[/]", markup=True)
        for tid in topic.see_also:
            console.print(
                f"  spasmcare learn {tid}  - {link_title(kb, 'topic', tid)}", markup=False
            )
    console.print("[bold]Sources[/]", markup=True)
    for sid in topic.sources:
        console.print(f"  {kb.sources[sid].citation}", markup=False, style="dim")
    console.print(
        f"[dim]Advice version {kb.version}. spasmcare gives information, not a diagnosis.[/]",
        markup=True,
    )


def learn(
    topic: Annotated[
        str | None, typer.Argument(help="A topic id from the list; leave out to list them.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
    knowledge_version: Annotated[str | None, typer.Option(help="Knowledge-base version.")] = None,
) -> None:
    """Read plain-language topics: what a spasm is, what to expect, when to get help."""
    from spasmcare.cli._output import out, print_json
    from spasmcare.cli.settings import knowledge_base
    from spasmcare.errors import InputError, Problem
    from spasmcare.knowledge.learn import active_topics, get_topic, topic_dict

    kb = knowledge_base(knowledge_version)
    console = out()
    if topic is None:
        topics = active_topics(kb)
        if as_json:
            print_json([{"id": t.id, "title": t.title, "summary": t.summary} for t in topics])
            return
        from rich.table import Table

        table = Table("topic", "title", "summary", title=f"Topics (knowledge base {kb.version})")
        for t in topics:
            table.add_row(t.id, t.title, " ".join(t.summary.split()))
        console.print(table)
        console.print("Read one with: spasmcare learn TOPIC", markup=False)
        return
    if topic not in kb.topics:
        import difflib

        known = [t.id for t in active_topics(kb)]
        close = difflib.get_close_matches(topic, known, n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise InputError(
            f"no topic {topic!r}{hint}",
            [Problem("TOPIC", f"unknown topic {topic!r}", ", ".join(known))],
        )
    found = get_topic(kb, topic)
    if as_json:
        print_json(topic_dict(kb, found))
        return
    _show_topic(console, kb, found)


def _hit_line(hit: SearchHit) -> str:
    from rich.markup import escape

    parts: list[str] = []
    last = 0
    for start, end in hit.marks:
        parts.append(escape(hit.snippet[last:start]))
        parts.append(f"[bold]{escape(hit.snippet[start:end])}[/]")
        last = end
    parts.append(escape(hit.snippet[last:]))
    return "".join(parts)


def search(
    query: Annotated[str, typer.Argument(help="What you want to know, in your own words.")],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the results as a JSON list.")
    ] = False,
    limit: Annotated[int, typer.Option(help="How many results, 1 to 50.")] = 10,
    kind: Annotated[
        list[str] | None,
        typer.Option(help="Only this kind (topic, rule, care, stretch, remedy, medicine, term)."),
    ] = None,
    knowledge_version: Annotated[str | None, typer.Option(help="Knowledge-base version.")] = None,
) -> None:
    """Search topics, warning signs and care advice."""
    from rich.markup import escape

    from spasmcare.cli._output import out, print_json
    from spasmcare.cli.settings import knowledge_base
    from spasmcare.knowledge.search import search as run_search
    from spasmcare.knowledge.search_docs import KIND_WORDS

    kb = knowledge_base(knowledge_version)
    results = run_search(kb, query, limit=limit, kinds=kind or None)
    if as_json:
        print_json([hit.model_dump(mode="json") for hit in results.results])
        return
    console = out()
    if results.suggestion:
        console.print(f"Showing results for: [bold]{escape(results.suggestion)}[/]", markup=True)
    if not results.results:
        console.print("Nothing found. Try other words, or run: spasmcare learn", markup=False)
        return
    for hit in results.results:
        command = f"spasmcare learn {hit.id}" if hit.kind == "topic" else hit.ref
        kind_words = KIND_WORDS.get(hit.kind, hit.kind)
        console.print(f"[bold]{escape(hit.title)}[/] [dim]({kind_words})[/]", markup=True)
        console.print(f"   {_hit_line(hit)}", markup=True)
        console.print(f"   [dim]{escape(command)}[/]", markup=True)
    console.print(
        f"[dim]Advice version {kb.version}. spasmcare gives information, not a diagnosis.[/]",
        markup=True,
    )


def register(app: typer.Typer) -> None:
    app.command()(learn)
    app.command()(search)
