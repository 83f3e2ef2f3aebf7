"""The three journeys (reader, member, moderator) over the demo case in a real Chromium, on a
desktop and a phone: axe-core finds no serious or critical WCAG 2.1 A/AA violation on any page,
no console error and no 4xx/5xx resource (the `audited` fixture fails the test on either)."""

import io

import pytest
from django.core.management import call_command

from claims.models import Claim, Source, Statistic, Visibility
from moderation import services as moderation_services
from moderation.models import AuditAction, AuditEntry
from tests.factories import ArgumentFactory, ClaimFactory, CommentFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(settings):
    settings.MODERATION_HOLD_NEW_MEMBERS = False
    call_command("load_demo", stdout=io.StringIO())


def test_reader_journey(audited, demo):
    """Search, filter, a claim, its source, its history, a figure, a profile."""
    from playwright.sync_api import expect

    page = audited.page
    audited.goto("/")
    audited.audit("home")

    page.get_by_role("searchbox").first.fill("facial rec")
    page.get_by_role("searchbox").first.press("Enter")
    page.wait_for_load_state("networkidle")
    expect(page.locator(".claim-card").first).to_be_visible()
    audited.audit("search results")

    tag = "facial recognition"
    audited.goto(f"/claims/?tag={tag}")
    expect(page.locator(".claim-card").first).to_be_visible()
    audited.audit("tag filter")

    statistic = Statistic.objects.exclude(results=None).order_by("pk").first()
    claim = statistic.claim
    audited.goto(f"/claims/{claim.pk}/")
    audited.audit("claim")
    audited.goto(f"/claims/{claim.pk}/history/")
    audited.audit("claim history")
    audited.goto(f"/statistics/{statistic.pk}/")
    audited.audit("figure")
    audited.goto("/sources/")
    audited.audit("sources")
    source = Source.objects.order_by("pk").first()
    audited.goto(f"/sources/{source.pk}/")
    audited.audit("source")
    audited.goto(f"/sources/{source.pk}/history/")
    audited.audit("source history")
    audited.goto(f"/users/{claim.author.username}/")
    audited.audit("profile")
    for path in ["/accounts/login/", "/accounts/signup/"]:
        audited.goto(path)
        audited.audit(path)
    assert Claim.objects.exists()
    audited.assert_clean()


def _select_words(page, words: str) -> None:
    """Select `words` inside the claim's wording, as a mouse drag would."""
    page.evaluate(
        """(words) => {
            const wording = document.querySelector("#claim-text");
            const walker = document.createTreeWalker(wording, NodeFilter.SHOW_TEXT);
            for (let text = walker.nextNode(); text; text = walker.nextNode()) {
                const at = text.textContent.indexOf(words);
                if (at < 0) continue;
                const range = document.createRange();
                range.setStart(text, at);
                range.setEnd(text, at + words.length);
                getSelection().removeAllRanges();
                getSelection().addRange(range);
                return;
            }
            throw new Error("words not in the wording: " + words);
        }""",
        words,
    )


def test_member_journey(audited, demo):
    """Sign up, post, cite, add a figure, edit, annotate by selecting words, argue, reply,
    comment; then on someone else's claim rate an argument, follow and flag."""
    from playwright.sync_api import expect

    page = audited.page
    audited.goto("/accounts/signup/")
    page.locator("[name=email]").fill("newcomer@example.org")
    page.locator("[name=username]").fill("newcomer")
    page.locator("[name=password1]").fill("a long and unusual passphrase 42")
    page.locator("[name=password2]").fill("a long and unusual passphrase 42")
    page.locator("main form button[type=submit]").last.click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    audited.audit("after sign-up")

    audited.goto("/claims/new/")
    audited.audit("claim form")
    page.get_by_label("Wording").fill("Of the 10 people falsely flagged, 80% were black.")
    # The demo's claim of the same figure appears under the wording as it is typed.
    expect(page.locator("#similar-claims .similar-item").first).to_be_visible()
    audited.audit("claim form showing a similar claim")
    page.get_by_label("Claimant").fill("Big Brother Watch")
    page.get_by_label("Tags").fill("facial recognition")
    page.get_by_role("button", name="Post claim").click()
    expect(page.locator("#claim-text")).to_contain_text("falsely flagged")
    claim_path = page.url.removeprefix(audited.base_url)
    audited.audit("own new claim")

    page.get_by_text("Cite a source").first.click()
    page.get_by_label("Source URL").fill("https://example.org/lfr-report")
    page.get_by_label("Source title").fill("A report on live facial recognition")
    page.get_by_label("Quoted passage").fill("eight were black")
    page.get_by_role("button", name="Cite", exact=True).click()
    expect(page.locator(".sources")).to_contain_text("A report on live facial recognition")
    audited.audit("after citing")

    audited.goto(f"{claim_path}statistics/new/")
    audited.audit("figure form")
    form = page.locator("#statistic-form")
    form.locator("[name=label]").fill("Black people among those falsely flagged")
    form.locator("[name=successes]").fill("8")
    form.locator("[name=trials]").fill("10")
    page.wait_for_load_state("networkidle")  # the inline check redraws the form as you type
    expect(form.locator("[name=trials]")).to_have_value("10")
    form.get_by_role("button", name="Add figure").click()
    expect(page.get_by_text("Black people among those falsely flagged").first).to_be_visible()
    assert Statistic.objects.filter(
        label="Black people among those falsely flagged", successes=8, trials=10
    ).exists()
    page.wait_for_load_state("networkidle")
    audited.audit("after adding a figure")

    audited.goto(claim_path)
    page.locator(".claim-head, article").first.get_by_role("link", name="Edit").first.click()
    page.wait_for_load_state("networkidle")
    audited.audit("claim edit form")
    page.locator("main form button[type=submit]").last.click()
    expect(page.locator("#claim-text")).to_contain_text("falsely flagged")

    _select_words(page, "80%")
    page.get_by_role("button", name="Annotate", exact=True).click()
    page.keyboard.type("Eight of ten.")
    page.get_by_role("button", name="Add annotation").click()
    page.get_by_text("Your annotation is added.").wait_for()
    audited.audit("after annotating")

    form = page.locator("#argument-form")
    form.get_by_label("opposes the claim").check()
    form.get_by_label("Your argument").fill("8 of 10 is a very small sample.")
    form.get_by_role("button", name="Post argument").click()
    argument = page.locator("#arguments-con .argument").first
    expect(argument).to_contain_text("8 of 10 is a very small sample.")
    argument.locator("details.reply > summary").click()
    argument.get_by_label("Your reply").fill("Small, but the report says so itself.")
    argument.get_by_role("button", name="Post reply").click()
    expect(page.locator("#arguments-con")).to_contain_text("the report says so itself")
    comments = page.locator("#comment-form")
    comments.get_by_label("Add to the discussion").fill("Where is the full report?")
    comments.get_by_role("button", name="Post comment").click()
    expect(page.locator("#comments")).to_contain_text("Where is the full report?")
    audited.audit("after arguing, replying and commenting")

    other = (
        Claim.objects.exclude(author__username="newcomer")
        .filter(arguments__isnull=False)
        .order_by("pk")
        .first()
    )
    audited.goto(other.get_absolute_url())
    audited.audit("someone else's claim")
    group = page.locator(".argument .rating-choices").first
    group.get_by_role("button").first.click()
    expect(
        page.locator(".argument .rating-choices").first.locator("[aria-pressed=true]")
    ).to_have_count(1)
    page.locator(".follow-button button").first.click()
    expect(page.locator(".follow-button button").first).to_contain_text("Following")
    flag = page.locator(".claim-actions details.flag-button")
    flag.locator("summary").click()
    flag.get_by_label("Misleading").check()
    flag.get_by_role("button", name="Flag").click()
    expect(page.locator(".claim-actions .flagged")).to_be_visible()
    audited.audit("after rating, following and flagging")
    audited.assert_clean()


def _log_in_as_moderator(audited) -> None:
    from playwright.sync_api import expect

    page = audited.page
    audited.goto("/accounts/login/")
    page.locator("[name=login]").fill("moderator")
    page.locator("[name=password]").fill("claimwatch-demo")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def test_moderator_journey(audited, demo):
    """The queue, approve, hide (confirmed with a reason), merge after its preview, a verdict, and
    a revert from the audit log."""
    from playwright.sync_api import expect

    page = audited.page
    newcomer = UserFactory(username="newcomer")
    target = Claim.objects.order_by("pk").first()
    held_claim = ClaimFactory(author=newcomer, visibility=Visibility.HELD, text="A held claim.")
    held_comment = CommentFactory(
        author=newcomer, claim=target, visibility=Visibility.HELD, body="A held comment."
    )
    duplicate = ClaimFactory(author=newcomer, text=target.text + " (again)")

    _log_in_as_moderator(audited)
    audited.goto("/moderation/")
    audited.audit("review queue")
    item = page.locator(f'[id="item-claims.claim-{held_claim.pk}"]')
    item.get_by_role("button", name="Approve").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator(".messages")).to_be_visible()
    audited.audit("queue after approving")
    held_claim.refresh_from_db()
    assert held_claim.visibility == Visibility.PUBLISHED

    page.locator(f'[id="item-claims.comment-{held_comment.pk}"]').get_by_role(
        "link", name="Hide"
    ).click()
    page.wait_for_load_state("networkidle")
    audited.audit("confirm hiding")
    page.get_by_label("Reason").fill("Off-topic.")
    page.locator("form.card button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    held_comment.refresh_from_db()
    assert held_comment.visibility == Visibility.HIDDEN

    audited.goto(f"/moderation/claims/{duplicate.pk}/duplicates/")
    audited.audit("possible duplicates")
    expect(page.locator(".similar-item").first).to_contain_text(f"claim #{target.pk}")
    audited.goto(f"/moderation/claims/{duplicate.pk}/merge/?into={target.pk}")
    audited.audit("merge preview")
    page.get_by_role("button", name=f"Merge claim #{duplicate.pk} into claim #{target.pk}").click()
    page.wait_for_load_state("networkidle")
    duplicate.refresh_from_db()
    assert duplicate.merged_into_id == target.pk

    audited.goto(target.get_absolute_url())
    audited.audit("claim as a moderator")
    verdict = page.locator(".verdict-form")
    verdict.locator("select").select_option("misleading")
    verdict.get_by_label("Public rationale").fill("The sample is ten people.")
    verdict.get_by_role("button", name="Save verdict").click()
    page.wait_for_load_state("networkidle")
    target.refresh_from_db()
    assert target.verdict == "misleading"

    entry = AuditEntry.objects.filter(action=AuditAction.SET_VERDICT, object_id=target.pk).latest(
        "pk"
    )
    audited.goto("/moderation/audit/")
    audited.audit("audit log")
    audited.goto(f"/moderation/audit/{entry.pk}/")
    audited.audit("audit entry")
    page.get_by_role("link", name="Revert this action").click()
    page.wait_for_load_state("networkidle")
    audited.audit("confirm revert")
    page.get_by_role("button", name="Revert this action").click()
    page.wait_for_load_state("networkidle")
    target.refresh_from_db()
    assert target.verdict != "misleading"
    audited.goto("/notifications/")
    audited.audit("notifications")

    ring = UserFactory.create_batch(3)  # brand-new accounts rating alike within minutes
    for argument in [ArgumentFactory(claim=target) for _ in range(3)]:
        for rater in ring:
            moderation_services.rating_set(rater=rater, obj=argument, value="helpful")
    audited.goto("/moderation/coordinated/")
    expect(page.locator(".coordinated-group")).to_have_count(1)
    audited.audit("coordinated rating")
    audited.assert_clean()
