"""Members and their certificates on the 救援队伍 page: add, edit, delete. The page owns one
:class:`MemberActions` and wires its buttons to it."""

from __future__ import annotations

from typing import Any, Protocol

from drillplan.kernel.values import validate_phone
from drillplan.org import read as org_read
from drillplan.org import teams

from drillplan.ui.area import PageHost
from drillplan.ui.forms import FieldSpec
from drillplan.ui.i18n import tr


def member_fields() -> list[FieldSpec]:
    return [
        FieldSpec("name", tr("姓名"), required=True, max_length=60),
        FieldSpec("role", tr("职务"), max_length=40, placeholder=tr("默认为“队员”")),
        FieldSpec("phone", tr("手机/电话"), check=lambda v: validate_phone(v)),
        FieldSpec("insured_until", tr("保险有效期至"), "date"),
        FieldSpec("active", tr("在册"), "bool"),
    ]


def certificate_fields() -> list[FieldSpec]:
    return [
        FieldSpec("cert_type", tr("证书类型"), required=True, max_length=60),
        FieldSpec("number", tr("证书编号"), required=True, max_length=60),
        FieldSpec("issued_on", tr("发证日期"), "date", required=True),
        FieldSpec("expires_on", tr("有效期至"), "date"),
    ]


class MembersHost(PageHost, Protocol):
    """What the member actions need of their page."""

    def current_team(self) -> int | None: ...

    def current_team_name(self) -> str: ...

    def current_member(self) -> org_read.MemberRow | None: ...

    def current_certificate(self) -> org_read.CertificateRow | None: ...

    def members_changed(self, keep: int | None = None) -> None:
        """Reload the team list (its member counts) and the members, keeping ``keep``."""
        ...

    def load_members(self, keep: int | None = None) -> None: ...

    def load_certificates(self) -> None: ...


class MemberActions:
    def __init__(self, page: MembersHost) -> None:
        self.page = page

    # --- members ---------------------------------------------------------------------------

    def add_member(self) -> None:
        page = self.page
        team_id = page.current_team()
        if team_id is None:
            page.need_selection(tr("一支队伍"))
            return
        user = page.ctx.user
        page.form(
            name="memberNew",
            title=tr("添加队员：{team}").format(team=page.current_team_name()),
            fields=member_fields(),
            values={"active": True, "role": "队员"},
            save=lambda s, v: teams.add_member(s, team_id=team_id, user=user, **v),
            changes=("teams",),
            saved=lambda m: page.members_changed(m.id),
        )

    def edit_member(self) -> None:
        page = self.page
        member = page.current_member()
        if member is None:
            page.need_selection(tr("一名队员"))
            return
        user = page.ctx.user

        def opened(values: dict[str, Any]) -> None:
            page.form(
                name="memberEdit",
                title=tr("编辑队员 {name}").format(name=member.name),
                fields=member_fields(),
                values=values,
                save=lambda s, v: teams.update_member(
                    s, member_id=member.member_id, user=user, **v
                ),
                changes=("teams",),
                saved=lambda m: page.members_changed(m.id),
                record=member.member_id,
            )

        page.op(lambda s: org_read.member_record(s, member.member_id), opened)

    def delete_member(self) -> None:
        page = self.page
        member = page.current_member()
        if member is None:
            page.need_selection(tr("一名队员"))
            return
        if not page.confirm_delete(tr("队员“{name}”").format(name=member.name)):
            return
        user = page.ctx.user
        page.op(
            lambda s: teams.delete_member(s, member_id=member.member_id, user=user),
            lambda _r: page.members_changed(),
            changes=("teams",),
        )

    # --- certificates ----------------------------------------------------------------------

    def add_certificate(self) -> None:
        page = self.page
        member = page.current_member()
        if member is None:
            page.need_selection(tr("一名队员"))
            return
        user = page.ctx.user
        page.form(
            name="certificateNew",
            title=tr("添加证书：{name}").format(name=member.name),
            fields=certificate_fields(),
            values={"issued_on": page.ctx.as_of()},
            save=lambda s, v: teams.add_certificate(s, member_id=member.member_id, user=user, **v),
            changes=("teams",),
            saved=lambda _c: page.load_members(),
        )

    def edit_certificate(self) -> None:
        page = self.page
        cert = page.current_certificate()
        if cert is None:
            page.need_selection(tr("一项证书"))
            return
        user = page.ctx.user

        def opened(values: dict[str, Any]) -> None:
            page.form(
                name="certificateEdit",
                title=tr("编辑证书"),
                fields=certificate_fields(),
                values=values,
                save=lambda s, v: teams.update_certificate(
                    s, certificate_id=cert.certificate_id, user=user, **v
                ),
                changes=("teams",),
                saved=lambda _c: page.load_certificates(),
                record=cert.certificate_id,
            )

        page.op(lambda s: org_read.certificate_record(s, cert.certificate_id), opened)

    def delete_certificate(self) -> None:
        page = self.page
        cert = page.current_certificate()
        if cert is None:
            page.need_selection(tr("一项证书"))
            return
        if not page.confirm_delete(tr("证书 {number}").format(number=cert.number)):
            return
        user = page.ctx.user
        page.op(
            lambda s: teams.delete_certificate(s, certificate_id=cert.certificate_id, user=user),
            lambda _r: page.load_members(),
            changes=("teams",),
        )
