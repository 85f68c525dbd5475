"""Credit codes typed with spaces and hyphens inside, and the registration class a team or
unit kind needs (DOMAIN.md: 51/52/53/59 social organisations, 91/92/93 enterprises), with
the explicit override for a real code that fails."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from drillplan.cli.main import main
from drillplan.db.database import Database
from drillplan.db.models import Team, Unit
from drillplan.kernel.errors import ValidationError
from drillplan.kernel.values import (
    credit_code_check_char,
    parse_optional_credit_code,
    validate_credit_code,
)
from drillplan.kernel.vocab import TeamKind, UnitKind
from drillplan.org import teams, units
from tests import factories as f

SOCIAL = "52310118MJ01QHKGW3"  # 民办非企业单位, correct check character
ENTERPRISE = "91310118MA1J0X84N3"  # enterprise, correct check character
PUBLIC = "11310118046814538B"  # 机关 (a government body): neither class

SOCIAL_NEEDED = (
    "社会应急力量应填写社会组织的统一社会信用代码（51、52、53 或 59 开头，52 为民办非企业单位），"
    "“91310118MA1J0X84N3”以 91 开头；代码经核实无误的，可选择已核实仍保存"
)
ENTERPRISE_NEEDED = (
    "企业专职队伍应填写企业的统一社会信用代码（91、92 或 93 开头），"
    "“52310118MJ01QHKGW3”以 52 开头；代码经核实无误的，可选择已核实仍保存"
)


@pytest.mark.parametrize(
    "typed",
    [
        "52310118 BJ1X G612 DF",
        "52310118-BJ1XG612DF",
        "5231 0118 BJ1X G612 DF",
        "52310118\u3000BJ1X－G612 DF",  # ideographic space, full-width hyphen
        " 52310118 bj1x g612 df ",
        "52310118\u2013BJ1XG612DF",  # an en dash pasted from a document
    ],
)
def test_spaces_and_hyphens_inside_are_removed_before_the_check(typed: str) -> None:
    assert validate_credit_code(typed) == "52310118BJ1XG612DF"
    assert parse_optional_credit_code(typed) == "52310118BJ1XG612DF"


def test_the_issue_example_is_accepted() -> None:
    # refused as 21 characters before; its check character F is right
    assert credit_code_check_char("52310118BJ1XG612D") == "F"
    assert validate_credit_code("52310118 BJ1X G612 DF") == "52310118BJ1XG612DF"
    assert validate_credit_code("52310118-MJ01QHKGW3") == SOCIAL


def test_other_punctuation_inside_is_still_refused() -> None:
    with pytest.raises(ValidationError) as info:
        validate_credit_code("52310118/MJ01QHKGW3")
    assert "实际为19位" in info.value.message  # a slash is not a separator
    with pytest.raises(ValidationError) as info:
        validate_credit_code("52310118/MJ01QHKGW")
    assert "第9位字符“/”不合法" in info.value.message


def test_length_is_counted_without_the_separators() -> None:
    with pytest.raises(ValidationError) as info:
        validate_credit_code("5231 0118 MJ01 QHKG W")
    assert "应为18位，实际为17位" in info.value.message


# ------------------------------------------------------------------------- team kinds


def _refused(db: Database, call, **kw) -> ValidationError:  # type: ignore[no-untyped-def]
    with db.session() as session, pytest.raises(ValidationError) as info:
        call(session, **kw)
    return info.value


def test_a_social_rescue_force_needs_a_social_organisation_code(db: Database) -> None:
    with db.session() as session:
        owner = f.unit(session).id
    err = _refused(
        db, teams.create_team, code="T1", name="蓝天救援队", kind=TeamKind.SOCIAL,
        owner_unit_id=owner, credit_code=ENTERPRISE,
    )  # fmt: skip
    assert (err.field, err.rule, err.message) == ("credit_code", "credit_code_class", SOCIAL_NEEDED)
    assert err.message_en == (
        "a social rescue force needs the credit code of a social organisation (starting 51, 52, "
        "53 or 59; 52: private non-enterprise unit); '91310118MA1J0X84N3' starts 91; save with "
        "the override if the code is verified"
    )
    for prefix_code in (PUBLIC,):
        err = _refused(
            db, teams.create_team, code="T1", name="蓝天救援队", kind=TeamKind.SOCIAL,
            owner_unit_id=owner, credit_code=prefix_code,
        )  # fmt: skip
        assert err.rule == "credit_code_class" and "以 11 开头" in err.message
    with db.session() as session:
        assert session.scalar(select(func.count(Team.id))) == 0
        for i, body in enumerate(("51310118MJ0000000", "53310118MJ0000000", "59310118MJ0000000")):
            code = body + credit_code_check_char(body)
            teams.create_team(
                session, code=f"S{i}", name=f"社会队{i}", kind=TeamKind.SOCIAL,
                owner_unit_id=owner, credit_code=code,
            )  # fmt: skip
        team = teams.create_team(
            session, code="T1", name="蓝天救援队", kind="社会应急力量", owner_unit_id=owner,
            credit_code="52310118 MJ01 QHKG W3",
        )  # fmt: skip
        assert team.credit_code == SOCIAL


def test_an_enterprise_team_needs_an_enterprise_code(db: Database) -> None:
    with db.session() as session:
        owner = f.unit(session, kind=UnitKind.ENTERPRISE).id
    err = _refused(
        db, teams.create_team, code="T1", name="化工厂专职队", kind=TeamKind.ENTERPRISE,
        owner_unit_id=owner, credit_code=SOCIAL,
    )  # fmt: skip
    assert (err.field, err.rule, err.message) == (
        "credit_code",
        "credit_code_class",
        ENTERPRISE_NEEDED,
    )
    assert err.message_en is not None and "an enterprise full-time team" in err.message_en
    with db.session() as session:
        # no code at all is fine for an enterprise team (only a social force must give one)
        teams.create_team(
            session, code="T0", name="无代码专职队", kind=TeamKind.ENTERPRISE, owner_unit_id=owner
        )
        team = teams.create_team(
            session, code="T1", name="化工厂专职队", kind=TeamKind.ENTERPRISE,
            owner_unit_id=owner, credit_code="91310118-MA1J0X84N3",
        )  # fmt: skip
        assert team.credit_code == ENTERPRISE


@pytest.mark.parametrize("kind", [TeamKind.PROFESSIONAL, TeamKind.STREET, TeamKind.VOLUNTEER])
def test_kinds_without_a_rule_take_any_valid_code(db: Database, kind: TeamKind) -> None:
    with db.session() as session:
        owner = f.unit(session).id
        for i, code in enumerate((SOCIAL, ENTERPRISE, PUBLIC)):
            team = teams.create_team(
                session, code=f"T{i}", name=f"队{i}", kind=kind, owner_unit_id=owner,
                credit_code=code,
            )  # fmt: skip
            assert team.credit_code == code


def test_the_override_accepts_a_real_code_of_the_other_class(db: Database) -> None:
    with db.session() as session:
        owner = f.unit(session).id
        team = teams.create_team(
            session, code="T1", name="蓝天救援队", kind=TeamKind.SOCIAL, owner_unit_id=owner,
            credit_code=ENTERPRISE, credit_code_override=True,
        )  # fmt: skip
        assert team.credit_code == ENTERPRISE
        # the override does not skip length or alphabet
        with pytest.raises(ValidationError) as info:
            teams.check_team(
                session, code="T2", name="x", kind=TeamKind.SOCIAL, owner_unit_id=owner,
                credit_code="9131011", credit_code_override=True,
            )  # fmt: skip
        assert "18位" in info.value.message


def test_changing_the_kind_rechecks_the_stored_code(db: Database) -> None:
    with db.session() as session:
        owner = f.unit(session).id
        team = teams.create_team(
            session, code="T1", name="专业队", kind=TeamKind.PROFESSIONAL, owner_unit_id=owner,
            credit_code=ENTERPRISE,
        )  # fmt: skip
        with pytest.raises(ValidationError) as info:
            teams.update_team(
                session, team_id=team.id, expected_version=team.row_version, kind=TeamKind.SOCIAL
            )
        assert info.value.message == SOCIAL_NEEDED


# ------------------------------------------------------------------------- unit kinds


def test_unit_kinds_check_their_class(db: Database) -> None:
    with db.session() as session:
        with pytest.raises(ValidationError) as info:
            units.check_unit(session, code="SZ-1", name="救援中心", kind=UnitKind.SOCIAL_ORG,
                             credit_code=ENTERPRISE)  # fmt: skip
        assert info.value.field == "credit_code"
        assert info.value.message.startswith("社会组织单位应填写社会组织的统一社会信用代码")
        with pytest.raises(ValidationError) as info:
            units.check_unit(session, code="QY-1", name="化工厂", kind=UnitKind.ENTERPRISE,
                             credit_code="52310118 MJ01 QHKG W3")  # fmt: skip
        assert info.value.message.startswith("企业单位应填写企业的统一社会信用代码（91、92 或 93")
        assert units.create_unit(
            session, code="QY-1", name="化工厂", kind=UnitKind.ENTERPRISE,
            credit_code="9131 0118 MA1J 0X84 N3",
        ).credit_code == ENTERPRISE  # fmt: skip
        assert units.create_unit(
            session, code="SZ-1", name="救援中心", kind=UnitKind.SOCIAL_ORG,
            credit_code=ENTERPRISE, credit_code_override=True,
        ).credit_code == ENTERPRISE  # fmt: skip
        # government bodies carry 11... codes: no class rule applies
        assert (
            units.create_unit(
                session, code="GOV", name="区政府", kind=UnitKind.GOVERNMENT, credit_code=PUBLIC
            ).credit_code
            == PUBLIC
        )
        assert session.scalar(select(func.count(Unit.id))) == 3


# ------------------------------------------------------------------------- command line


def test_command_line_takes_spaced_codes_and_the_override(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    with db.session() as session:
        f.unit(session, code="OWN")
    base = ["--db", db.url, "teams", "add", "--kind", "社会应急力量", "--owner", "OWN"]
    capsys.readouterr()
    assert main([*base, "--code", "T1", "--name", "甲", "--credit-code", ENTERPRISE]) == 2
    assert f"credit_code: {SOCIAL_NEEDED}" in capsys.readouterr().err
    assert main([*base, "--code", "T1", "--name", "甲", "--credit-code", ENTERPRISE,
                 "--credit-code-override"]) == 0  # fmt: skip
    assert main([*base, "--code", "T2", "--name", "乙", "--credit-code",
                 "52310118 MJ01 QHKG W3"]) == 0  # fmt: skip
    with db.session() as session:
        assert dict(session.execute(select(Team.code, Team.credit_code)).tuples().all()) == {
            "T1": ENTERPRISE,
            "T2": SOCIAL,
        }
