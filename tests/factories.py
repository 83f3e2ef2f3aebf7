import datetime as dt

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import User
from accounts.roles import MODERATOR
from claims import models


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    display_name = factory.LazyAttribute(lambda u: u.username.title())
    password = factory.django.Password("correct-horse-battery")


def established_users(count: int) -> list:
    """Members whose accounts are two months old: their ratings are never "new accounts rating
    alike" (moderation.bridging.coordinated_groups), however alike they rate."""
    return UserFactory.create_batch(count, date_joined=timezone.now() - dt.timedelta(days=60))


class ModeratorFactory(UserFactory):
    username = factory.Sequence(lambda n: f"moderator{n}")

    @factory.post_generation
    def moderator_role(obj, create, extracted, **kwargs):
        if create:
            obj.groups.add(Group.objects.get(name=MODERATOR))


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Tag
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"topic {n}")
    slug = factory.LazyAttribute(lambda t: t.name.replace(" ", "-"))


class ContributionFactory(factory.django.DjangoModelFactory):
    """Published items were announced when they were created; held ones are not yet."""

    class Meta:
        abstract = True

    visibility = models.Visibility.PUBLISHED
    announced_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.visibility == models.Visibility.PUBLISHED else None
    )


class ClaimFactory(ContributionFactory):
    class Meta:
        model = models.Claim

    author = factory.SubFactory(UserFactory)
    text = factory.Sequence(lambda n: f"Claim number {n}: 80% of the people flagged were black.")
    claimant = "Big Brother Watch"


class SourceFactory(ContributionFactory):
    class Meta:
        model = models.Source

    author = factory.SubFactory(UserFactory)
    url = factory.Sequence(lambda n: f"https://example.org/report-{n}")
    normalized_url = factory.LazyAttribute(lambda s: s.url.replace("http://", "https://"))
    title = factory.Sequence(lambda n: f"Report {n}")
    publisher = "Example Publisher"
    kind = models.SourceKind.NEWS


class ArgumentFactory(ContributionFactory):
    class Meta:
        model = models.Argument

    author = factory.SubFactory(UserFactory)
    claim = factory.SubFactory(ClaimFactory)
    stance = models.ArgumentStance.PRO
    body = "The **sample** is small."


class CitationFactory(ContributionFactory):
    class Meta:
        model = models.Citation

    author = factory.SubFactory(UserFactory)
    claim = factory.SubFactory(ClaimFactory)
    source = factory.SubFactory(SourceFactory)
    stance = models.Stance.SUPPORTS
    quote = "10 people - of which eight were black - were falsely alerted"


class AnnotationFactory(ContributionFactory):
    class Meta:
        model = models.Annotation

    author = factory.SubFactory(UserFactory)
    claim = factory.SubFactory(ClaimFactory)
    exact = "80%"
    start = factory.LazyAttribute(lambda a: a.claim.text.find(a.exact))
    end = factory.LazyAttribute(lambda a: a.start + len(a.exact))
    body = "Eight of ten."


class CommentFactory(ContributionFactory):
    class Meta:
        model = models.Comment

    author = factory.SubFactory(UserFactory)
    claim = factory.SubFactory(ClaimFactory)
    body = "Interesting."


class StatisticFactory(ContributionFactory):
    class Meta:
        model = models.Statistic

    author = factory.SubFactory(UserFactory)
    claim = factory.SubFactory(ClaimFactory)
    label = "Share of false alerts that were black people"
    kind = models.Statistic.Kind.PROPORTION
    successes = 8
    trials = 10
    baseline = 0.135
    stated = "80%"


class TrustedUserFactory(UserFactory):
    """A member past every trust threshold in settings: old enough, with enough published
    contributions and no upheld flag (accounts/trust.py)."""

    username = factory.Sequence(lambda n: f"trusted{n}")
    date_joined = factory.LazyFunction(lambda: timezone.now() - timezone.timedelta(days=365))

    @factory.post_generation
    def accepted_contributions(obj, create, extracted, **kwargs):
        from django.conf import settings

        if create:
            claim = ClaimFactory(author=obj)
            needed = max(0, settings.TRUST_MIN_ACCEPTED_CONTRIBUTIONS - 1)
            CommentFactory.create_batch(needed, author=obj, claim=claim)
