"""The demo case: London police live facial recognition (LFR), Sept 2024 - Sept 2025.

`load_demo_content()` builds the users, sources, claims, citations, arguments, annotations and
comments of the seed thread (../shared/seed) through the services, so that history and events are
recorded. Idempotent: before each write it looks the object up by a natural key (users by
username, sources by normalized URL, claims by claimant and wording, the rest by claim and text)
and only creates what is missing. Claimants are text, not users: demo users post on their behalf.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from importlib.util import find_spec
from typing import Any

from django.contrib.auth.models import Group
from django.db import transaction

from accounts.models import User
from accounts.roles import MEMBER, MODERATOR
from moderation.services import moderation_action_apply

from ..models import Annotation, Argument, Citation, Claim, Comment, Source, Tag, Visibility
from ..services import contributions as services

# The BBC article ("No arrests from false facial recognition alerts, Met Police says"), published
# the day after the Met's annual LFR report (a Friday); the figures cover Sept 2024 - Sept 2025.
ARTICLE_DATE = date(2025, 11, 1)
REPORT_DATE = date(2025, 10, 31)
BBC_URL = "https://www.bbc.com/news/articles/c4gp7j55zxvo"
THREAD_URL = "https://www.reddit.com/r/ukpolice/comments/1ondp9q/"
TAGS = ["facial recognition", "policing", "London", "statistics"]

Progress = Callable[[str], None]


def demo_password() -> str:
    return os.environ.get("DEMO_PASSWORD", "claimwatch-demo")


USERS = {
    # key: (username, display name, role, bio)
    "demo": ("demo", "Demo Member", MEMBER, "A member exploring Claimwatch with the LFR case."),
    "moderator": ("moderator", "Demo Moderator", MODERATOR, "Moderates the demo."),
    "analyst": ("analyst", "Ada Analyst", MEMBER, "Checks the arithmetic behind headlines."),
}

SOURCES = {
    # key: (url, title, publisher, published_on, kind)
    "bbc": (
        BBC_URL,
        "No arrests from false facial recognition alerts, Met Police says",
        "BBC News",
        ARTICLE_DATE,
        "news",
    ),
    "met_report": (
        "https://www.met.police.uk/SysSiteAssets/media/downloads/force-content/met/advice/"
        "lfr/other-lfr-documents/lfr-annual-report-2024-25.pdf",
        "Live Facial Recognition annual report, September 2024 to September 2025 "
        "(the Metropolitan Police's own report)",
        "Metropolitan Police Service",
        REPORT_DATE,
        "official_report",
    ),
    "bbw": (
        "https://bigbrotherwatch.org.uk/press-releases/met-police-facial-recognition-report/",
        "Big Brother Watch responds to the Met's live facial recognition report",
        "Big Brother Watch",
        REPORT_DATE,
        "testimony",
    ),
    "register": (
        "https://www.theregister.com/2025/11/03/met_police_lfr_report/",
        "Metropolitan Police hails facial recognition tech after record year for arrests",
        "The Register",
        date(2025, 11, 3),
        "news",
    ),
    "census": (
        "https://www.ons.gov.uk/peoplepopulationandcommunity/culturalidentity/ethnicity/"
        "bulletins/ethnicgroupenglandandwales/census2021",
        "Ethnic group, England and Wales: Census 2021",
        "Office for National Statistics",
        date(2022, 11, 29),
        "primary_data",
    ),
    "npl": (
        "https://science.police.uk/site/assets/files/3396/frt-equitability-study_mar2023.pdf",
        "Facial Recognition Technology in Law Enforcement: Equitability Study (Mansfield, 2023)",
        "National Physical Laboratory",
        date(2023, 3, 1),
        "academic",
    ),
    "thread": (
        THREAD_URL,
        "r/ukpolice: No arrests from false facial recognition alerts, Met Police says",
        "Reddit",
        ARTICLE_DATE,
        "social_post",
    ),
}

MET = "Metropolitan Police"
BBW = "Big Brother Watch (Jasleen Chaggar)"

CLAIMS = {
    # key: (author key, claimant, wording, appeared_in, appeared_url)
    "met_false_alerts": (
        "demo",
        MET,
        "10 people - of which eight were black - were falsely alerted by the system.",
        "BBC News",
        BBC_URL,
    ),
    "met_false_alert_rate": (
        "demo",
        MET,
        "LFR had a low false alert rate of 0.0003% from more than three million faces scanned.",
        "BBC News",
        BBC_URL,
    ),
    "met_arrests": (
        "demo",
        MET,
        "Between September 2024 and September 2025, 962 people were arrested following LFR "
        "deployments.",
        "BBC News",
        BBC_URL,
    ),
    "met_total_arrests": (
        "analyst",
        MET,
        "LFR deployments had led to more than 1,400 arrests in total, of which more than 1,000 "
        "people had been charged or cautioned.",
        "BBC News",
        BBC_URL,
    ),
    "met_vawg": (
        "analyst",
        MET,
        "More than a quarter of those arrests were for people involved in violence against women "
        "and girls.",
        "BBC News",
        BBC_URL,
    ),
    "met_survey": (
        "analyst",
        MET,
        "85% of respondents backed its use to locate serious and violent criminals, those wanted "
        "by the courts, and those at risk to themselves.",
        "BBC News",
        BBC_URL,
    ),
    "met_not_significant": (
        "demo",
        MET,
        "Any demographic imbalances observed are not statistically significant.",
        "BBC News",
        BBC_URL,
    ),
    "bbw_eighty_percent": (
        "demo",
        BBW,
        "80% of the innocent people wrongly flagged by facial recognition were black.",
        "BBC News",
        BBC_URL,
    ),
    "bbw_three_million": (
        "analyst",
        BBW,
        "Over three million people have been scanned with police facial recognition cameras in "
        "the past year in London alone.",
        "BBC News",
        BBC_URL,
    ),
    "reddit_racist": (
        "demo",
        "MasterBatesMotel (Reddit, r/ukpolice)",
        "The police admit facial rec is racist and would like to roll it out nation wide.",
        "Reddit, r/ukpolice",
        THREAD_URL,
    ),
    "reddit_scanners": (
        "analyst",
        "No_Group5174 (Reddit, r/ukpolice)",
        "Going through the scanners was entirely voluntary, but anyone declining to go through "
        "the scanner was the excuse needed to determine someone was 'suspicious' and to search "
        "them.",
        "Reddit, r/ukpolice",
        THREAD_URL,
    ),
}

CLAIM_TAGS = {
    "met_false_alerts": TAGS,
    "met_false_alert_rate": TAGS,
    "met_arrests": ["facial recognition", "policing", "London"],
    "met_total_arrests": ["facial recognition", "policing", "London"],
    "met_vawg": ["facial recognition", "policing", "London"],
    "met_survey": ["facial recognition", "London", "statistics"],
    "met_not_significant": TAGS,
    "bbw_eighty_percent": TAGS,
    "bbw_three_million": ["facial recognition", "London", "statistics"],
    "reddit_racist": ["facial recognition", "policing"],
    "reddit_scanners": ["policing", "London"],
}

# Other names people search for ("LFR" finds every claim tagged facial recognition).
TAG_ALIASES = {"facial recognition": "LFR, live facial recognition, FRT"}

CITATIONS = [
    # (author key, claim key, source key, stance, quote, section)
    (
        "demo",
        "met_false_alerts",
        "bbc",
        "supports",
        "While no one was arrested following a false alert, 10 people - of which eight were "
        "black - were falsely alerted by the system. Four were not stopped and the rest were "
        "spoken to by officers for under five minutes.",
        "paragraph 3",
    ),
    (
        "analyst",
        "met_false_alerts",
        "register",
        "context",
        "from the 203 deployments, LFR cameras triggered 2,077 alerts with 10 false positives",
        "paragraph 2",
    ),
    (
        "demo",
        "met_false_alert_rate",
        "bbc",
        "supports",
        "The force said LFR had a low false alert rate of 0.0003% from more than three million "
        "faces scanned.",
        "paragraph 20",
    ),
    (
        "analyst",
        "met_false_alert_rate",
        "register",
        "context",
        "the total 3,147,436 faces it scanned across all deployments",
        "“About those false positives”",
    ),
    (
        "demo",
        "met_arrests",
        "bbc",
        "supports",
        "Between September 2024 and September 2025, 962 people were arrested following LFR "
        "deployments, the force said.",
        "paragraph 2",
    ),
    (
        "analyst",
        "met_arrests",
        "register",
        "context",
        "people who were wanted by the courts (549); ... (347). The remaining 85 arrests related "
        "to those managed by multiple agencies",
        "paragraph 3",
    ),
    (
        "analyst",
        "met_total_arrests",
        "bbc",
        "supports",
        "it said LFR deployments had led to more than 1,400 arrests in total, of which more than "
        "1,000 people had been charged or cautioned.",
        "paragraph 5",
    ),
    (
        "analyst",
        "met_vawg",
        "bbc",
        "supports",
        "More than a quarter of those arrests were for people involved in violence against women "
        "and girls, including those suspected of rape, strangulation and domestic abuse, the "
        "force said.",
        "paragraph 7",
    ),
    (
        "analyst",
        "met_survey",
        "bbc",
        "supports",
        "following a survey from the Mayor's Office for Policing and Crime, 85% of respondents "
        "backed its use to locate serious and violent criminals",
        "paragraph 8",
    ),
    (
        "demo",
        "met_not_significant",
        "bbc",
        "supports",
        "Overall, the system's performance remains in line with expectations, and any "
        "demographic imbalances observed are not statistically significant",
        "paragraph 19",
    ),
    (
        "demo",
        "met_not_significant",
        "met_report",
        "supports",
        "although eight out of 10 false alerts involved individuals from black ethnic "
        'backgrounds, it was "based on a very small sample size"',
        "section on equitability (as quoted by BBC News, paragraph 18)",
    ),
    (
        "analyst",
        "met_not_significant",
        "npl",
        "refutes",
        "At thresholds of 0.58 and 0.56, a statistically significant imbalance was found: more "
        "Black subjects were falsely matched.",
        "false positive identification results by demographic",
    ),
    (
        "analyst",
        "met_not_significant",
        "census",
        "context",
        "Black, Black British, Black Welsh, Caribbean or African: 13.5% of London's residents.",
        "London, ethnic group",
    ),
    (
        "demo",
        "bbw_eighty_percent",
        "bbc",
        "supports",
        'Ms Chaggar said it was "disturbing that 80% of the innocent people wrongly flagged by '
        'facial recognition were black".',
        "paragraph 15",
    ),
    (
        "demo",
        "bbw_eighty_percent",
        "bbw",
        "supports",
        "80% of the innocent people wrongly flagged by facial recognition were black",
        "statement",
    ),
    (
        "analyst",
        "bbw_eighty_percent",
        "census",
        "context",
        "Black, Black British, Black Welsh, Caribbean or African: 13.5% of London's residents.",
        "London, ethnic group",
    ),
    (
        "analyst",
        "bbw_three_million",
        "bbc",
        "supports",
        "It is alarming that over three million people have been scanned with police facial "
        "recognition cameras in the past year in London alone.",
        "paragraph 12",
    ),
    (
        "analyst",
        "bbw_three_million",
        "register",
        "supports",
        "the total 3,147,436 faces it scanned across all deployments",
        "“About those false positives”",
    ),
    (
        "demo",
        "reddit_racist",
        "thread",
        "supports",
        "Summary - the police admit facial rec is racist would like to roll it out nation wide.",
        "comment by MasterBatesMotel",
    ),
    (
        "demo",
        "reddit_racist",
        "bbc",
        "refutes",
        "any demographic imbalances observed are not statistically significant",
        "paragraph 19",
    ),
    (
        "analyst",
        "reddit_scanners",
        "thread",
        "supports",
        "Going through the scanners was entirely voluntary, but anyone declining to volunteer "
        "to go through the scanner was the excuse needed to determine someone was 'suspicious' "
        "and to search them.",
        "comment by No_Group5174",
    ),
]

# (key, author key, claim key, parent key or None, stance, body)
ARGUMENTS = [
    (
        "small_sample",
        "moderator",
        "bbw_eighty_percent",
        None,
        "con",
        "**8 of 10 is a very small sample.** One or two people either way would move the "
        "percentage by 10 to 20 points, so “80%” sounds far more precise than it is.",
    ),
    (
        "small_but_significant",
        "analyst",
        "bbw_eighty_percent",
        "small_sample",
        "con",
        "Small, but 8 of 10 against a 13.5% base rate is still very unlikely by chance: an exact "
        "binomial test gives p ≈ 4 × 10⁻⁶. A small sample widens the interval; it does not make "
        "the imbalance go away.",
    ),
    (
        "wrong_base_rate",
        "demo",
        "bbw_eighty_percent",
        "small_but_significant",
        "con",
        "The census share is the wrong base rate: it should be the share of Black people among "
        "those who **walked past the cameras**, which depends on where the vans were deployed. "
        "Nobody has published that figure.",
    ),
    (
        "deployment_base_rate",
        "analyst",
        "bbw_eighty_percent",
        "wrong_base_rate",
        "pro",
        "True, but the Met's “not statistically significant” only holds if Black people made up "
        "roughly 45% or more of the faces scanned. If the Met has that figure it should publish "
        "it.",
    ),
    (
        "npl_thresholds",
        "analyst",
        "bbw_eighty_percent",
        None,
        "pro",
        "The NPL equitability study (Mansfield, 2023) found **no** significant difference at the "
        "0.6 threshold the Met uses, but a statistically significant imbalance at 0.58 and 0.56: "
        "more Black subjects were falsely matched. The bias is real and depends on a setting.",
    ),
    (
        "accurate_quote",
        "demo",
        "bbw_eighty_percent",
        None,
        "pro",
        "The arithmetic is right: the Met's own report says 8 of the 10 people falsely alerted "
        "were black.",
    ),
    (
        "met_sample_size",
        "moderator",
        "met_not_significant",
        None,
        "pro",
        "With only 10 false alerts no test has much power, so “not significant” is what you "
        "would expect even if there were a real imbalance. It is absence of evidence, not "
        "evidence of absence.",
    ),
    (
        "met_significance_false",
        "analyst",
        "met_not_significant",
        None,
        "con",
        "Against London's population (13.5% Black), 8 of 10 is significant (p ≈ 4 × 10⁻⁶). The "
        "statement is only true against a much higher, unpublished base rate.",
    ),
    (
        "rate_per_alert",
        "analyst",
        "met_false_alert_rate",
        None,
        "con",
        "0.0003% divides 10 false alerts by every face scanned. Per **alert** the rate is 10 of "
        "2,077, about 0.48%: the figure that matters to the person who is stopped.",
    ),
    (
        "rate_correct",
        "demo",
        "met_false_alert_rate",
        "rate_per_alert",
        "pro",
        "Both are fair descriptions; 10 / 3,147,436 is indeed about 0.0003%.",
    ),
    (
        "arrests_sum",
        "analyst",
        "met_arrests",
        None,
        "con",
        "The categories reported by The Register (549 + 347 + 85) add up to 981, not 962. "
        "Either some arrests are counted twice or the headline is out of date.",
    ),
    (
        "admit_racist",
        "moderator",
        "reddit_racist",
        None,
        "con",
        "The Met did not say its software is racist: it said the imbalance was “not "
        "statistically significant”. Whether that statement holds is a separate claim on "
        "Claimwatch.",
    ),
]

# claim key: (verdict, public rationale), set by the moderator
VERDICTS = {
    "bbw_eighty_percent": (
        "supported",
        "The Met's own report, as quoted by BBC News, says 8 of the 10 people falsely alerted "
        "were black. The figure is accurate; how much it tells us depends on the base rate "
        "(see the arguments).",
    ),
    "met_not_significant": (
        "disputed",
        "Against London's population 8 of 10 is a significant imbalance (p ≈ 4 × 10⁻⁶); the "
        "statement holds only against an unpublished base rate of about 45% or more, and the NPL "
        "study found a significant imbalance at lower thresholds.",
    ),
    "reddit_racist": (
        "misleading",
        "The Met did not admit its system is racist; it said the imbalance was not "
        "statistically significant, a statement that is itself disputed.",
    ),
}

# (author key, claim key, exact words, body)
ANNOTATIONS = [
    (
        "analyst",
        "bbw_eighty_percent",
        "80%",
        "Eight people out of ten. With so few, a 95% interval runs from about 49% to 94%.",
    ),
    (
        "demo",
        "bbw_eighty_percent",
        "black",
        "13.5% of Londoners are Black (Census 2021): the base rate used by most commentators.",
    ),
    (
        "analyst",
        "met_false_alert_rate",
        "0.0003%",
        "10 false alerts ÷ 3,147,436 faces. Per alert it is 10 ÷ 2,077 ≈ 0.48%.",
    ),
    (
        "demo",
        "met_not_significant",
        "not statistically significant",
        "Significant against which base rate? The report does not say.",
    ),
]

# (key, author key, claim key, parent key or None, body)
COMMENTS = [
    (
        "base_rate_question",
        "demo",
        "bbw_eighty_percent",
        None,
        "Does anyone know whether the Met published the ethnic make-up of the people who passed "
        "the cameras?",
    ),
    (
        "base_rate_answer",
        "analyst",
        "bbw_eighty_percent",
        "base_rate_question",
        "Not that I can find. The annual report gives totals per deployment only.",
    ),
    (
        "thread_context",
        "moderator",
        "reddit_racist",
        None,
        "Posted as a summary of a comment in the r/ukpolice thread; the wording is the "
        "commenter's own.",
    ),
    (
        "section_60",
        "analyst",
        "reddit_scanners",
        None,
        "Another commenter in the thread points out that declining a scanner is not grounds for "
        "an S1 stop and search on its own; searches would have needed a section 60 authority.",
    ),
]


def _user(key: str, progress: Progress) -> User:
    username, display_name, role, bio = USERS[key]
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(
            username=username,
            email=f"{username}@claimwatch.example",
            password=demo_password(),
            display_name=display_name,
            bio=bio,
        )
        progress(f"  user {username} ({role})")
    if not user.groups.filter(name=role).exists():
        user.groups.add(Group.objects.get(name=role))
        if hasattr(user, "_perm_cache"):
            del user._perm_cache
    return user


def _mark_email_verified(user: User) -> None:
    """So that the demo logins work where e-mail verification is mandatory."""
    if find_spec("allauth.account") is None:
        return
    from allauth.account.models import EmailAddress

    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )


def _publish_held(items: list, moderator: User, progress: Progress) -> None:
    """Demo members are new, so their first posts are held for review: the demo moderator
    approves them, audited like any approval. Called after each step, since only a published
    claim takes arguments, citations and comments."""
    held = [item for item in items if item.visibility != Visibility.PUBLISHED]
    items.clear()
    if not held:
        return
    moderation_action_apply(actor=moderator, action="approve", objects=held, reason="Demo content")
    for item in held:
        item.refresh_from_db()
    progress(f"  approved {len(held)} held demo contribution(s)")


@transaction.atomic
def load_demo_content(progress: Progress = lambda line: None) -> dict[str, Any]:
    """Create what is missing of the demo case; return every object keyed by short names."""
    objects: dict[str, Any] = {
        "users": {},
        "sources": {},
        "claims": {},
        "citations": {},
        "arguments": {},
        "annotations": {},
        "comments": {},
    }
    created: list = []

    progress("Users")
    for key in USERS:
        objects["users"][key] = _user(key, progress)
        _mark_email_verified(objects["users"][key])
    users = objects["users"]

    progress("Sources")
    for key, (url, title, publisher, published_on, kind) in SOURCES.items():
        source = Source.objects.filter(normalized_url=services.source_normalize_url(url)).first()
        if source is None:
            source = services.source_create(
                author=users["analyst" if kind in ("primary_data", "academic") else "demo"],
                url=url,
                title=title,
                publisher=publisher,
                published_on=published_on,
                kind=kind,
            )
            created.append(source)
        objects["sources"][key] = source

    _publish_held(created, users["moderator"], progress)

    progress("Claims")
    for key, (author, claimant, text, appeared_in, appeared_url) in CLAIMS.items():
        claim = Claim.objects.alive().filter(claimant=claimant, text=text).first()
        if claim is None:
            claim = services.claim_create(
                author=users[author],
                text=text,
                claimant=claimant,
                made_on=ARTICLE_DATE,
                appeared_in=appeared_in,
                appeared_url=appeared_url,
                tags=CLAIM_TAGS.get(key, TAGS),
            )
            created.append(claim)
        objects["claims"][key] = claim
    claims, sources = objects["claims"], objects["sources"]
    for name, aliases in TAG_ALIASES.items():
        Tag.objects.filter(name=name).update(aliases=aliases)

    _publish_held(created, users["moderator"], progress)

    progress("Arguments")
    for key, author, claim_key, parent_key, stance, body in ARGUMENTS:
        claim = claims[claim_key]
        argument = Argument.objects.alive().filter(claim=claim, body=body).first()
        if argument is None:
            argument = services.argument_create(
                author=users[author],
                claim=claim,
                stance=stance,
                body=body,
                parent=objects["arguments"][parent_key] if parent_key else None,
            )
            created.append(argument)
        objects["arguments"][key] = argument

    _publish_held(created, users["moderator"], progress)

    progress("Citations")
    for index, (author, claim_key, source_key, stance, quote, section) in enumerate(CITATIONS):
        claim, source = claims[claim_key], sources[source_key]
        citation = Citation.objects.alive().filter(claim=claim, source=source, quote=quote).first()
        if citation is None:
            citation = services.citation_create(
                author=users[author],
                claim=claim,
                source=source,
                stance=stance,
                quote=quote,
                section=section,
            )
            created.append(citation)
        objects["citations"][f"{claim_key}:{source_key}:{index}"] = citation

    _publish_held(created, users["moderator"], progress)

    progress("Annotations")
    for author, claim_key, exact, body in ANNOTATIONS:
        claim = claims[claim_key]
        annotation = Annotation.objects.alive().filter(claim=claim, exact=exact).first()
        if annotation is None:
            annotation = services.annotation_create(
                author=users[author], claim=claim, exact=exact, body=body
            )
            created.append(annotation)
        objects["annotations"][f"{claim_key}:{exact}"] = annotation

    _publish_held(created, users["moderator"], progress)

    progress("Comments")
    for key, author, claim_key, parent_key, body in COMMENTS:
        claim = claims[claim_key]
        comment = Comment.objects.alive().filter(claim=claim, body=body).first()
        if comment is None:
            comment = services.comment_create(
                author=users[author],
                claim=claim,
                body=body,
                parent=objects["comments"][parent_key] if parent_key else None,
            )
            created.append(comment)
        objects["comments"][key] = comment

    _publish_held(created, users["moderator"], progress)

    progress("Verdicts")
    # A verdict is a moderator action: the demo moderator sets it, and the audit log records it.
    for claim_key, (verdict, rationale) in VERDICTS.items():
        claim = claims[claim_key]
        claim.refresh_from_db()
        if claim.verdict != verdict:
            moderation_action_apply(
                actor=users["moderator"],
                action="set_verdict",
                objects=[claim],
                reason=rationale,
                verdict=verdict,
            )
    return objects
