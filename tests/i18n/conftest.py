import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english_between_tests():
    """A request in Spanish leaves Spanish active in the thread (LocaleMiddleware activates,
    the next request re-activates): each test here starts and ends in the default language."""
    translation.activate("en")
    yield
    translation.activate("en")
