"""The account bodies: one address is one account whatever its case or spacing, a malformed
address or a short password is refused naming its field, and a printed body hides the password."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from careerflow_contracts.rest import AccountCreate, SignIn

PASSWORD = "a long enough passphrase"


@pytest.mark.parametrize(
    "typed",
    [
        "ada@example.org",
        "  Ada@Example.ORG ",
        "ADA@EXAMPLE.ORG",
        "\tada@example.org\n",
    ],
)
def test_an_address_is_normalised_to_one_spelling(typed: str) -> None:
    assert AccountCreate(email=typed, password=PASSWORD).email == "ada@example.org"
    assert SignIn(email=typed, password="x").email == "ada@example.org"


def test_unicode_is_composed_before_it_is_compared() -> None:
    composed = AccountCreate(email="Jos\u00e9@example.org", password=PASSWORD).email
    decomposed = AccountCreate(email="Jose\u0301@example.org", password=PASSWORD).email
    assert composed == decomposed == "jos\u00e9@example.org"


@pytest.mark.parametrize(
    "email",
    [
        "",
        "ada",
        "ada@",
        "@example.org",
        "ada@example",
        "ada@@example.org",
        "ada lovelace@example.org",
        "ada@example..org",
        "a" * 65 + "@example.org",
        "ada@" + "e" * 250 + ".org",
        "ada\x00@example.org",
    ],
)
def test_a_malformed_address_is_refused_naming_the_field(email: str) -> None:
    with pytest.raises(ValidationError) as refused:
        AccountCreate(email=email, password=PASSWORD)
    assert [error["loc"] for error in refused.value.errors()] == [("email",)]


@pytest.mark.parametrize("password", ["x" * 11, "x" * 257, "twelve chars\x00"])
def test_a_password_outside_the_rules_is_refused(password: str) -> None:
    with pytest.raises(ValidationError) as refused:
        AccountCreate(email="ada@example.org", password=password)
    assert [error["loc"] for error in refused.value.errors()] == [("password",)]
    AccountCreate(email="ada@example.org", password="x" * 12)
    AccountCreate(email="ada@example.org", password="x" * 256)


def test_a_printed_body_does_not_show_the_password() -> None:
    body = AccountCreate(email="ada@example.org", password=PASSWORD)
    assert PASSWORD not in repr(body) and PASSWORD not in str(body)
    assert PASSWORD not in repr(SignIn(email="ada@example.org", password=PASSWORD))
