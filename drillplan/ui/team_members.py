"""Members and their certificates on the 救援队伍 page (a mixin): add, edit, delete."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from drillplan.kernel.values import validate_phone
from drillplan.org import teams
from drillplan.ui_queries import records

from drillplan.ui.forms import FieldSpec
from drillplan.ui.i18n import tr

if TYPE_CHECKING:
    from drillplan.ui.teams_view import TeamsPage

    _Base = TeamsPage
else:
    _Base = object


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


class MemberActions(_Base):
    # --- members ---------------------------------------------------------------------------

    def add_member(self) -> None:
        team_id = self.panel.current_id()
        if team_id is None:
            self.need_selection(tr("一支队伍"))
            return
        user = self.ctx.user
        self.form(
            name="memberNew",
            title=tr("添加队员"),
            fields=member_fields(),
            values={"active": True, "role": "队员"},
            save=lambda s, v: teams.add_member(s, team_id=team_id, user=user, **v),
            changes=("teams",),
            saved=lambda m: self._members_changed(m.id),
        )

    def _members_changed(self, keep: int | None = None) -> None:
        self.panel.reload()
        self.load_members(keep)

    def edit_member(self) -> None:
        member = self.members.current()
        if member is None:
            self.need_selection(tr("一名队员"))
            return
        user = self.ctx.user

        def opened(values: dict[str, Any]) -> None:
            self.form(
                name="memberEdit",
                title=tr("编辑队员 {name}").format(name=member.name),
                fields=member_fields(),
                values=values,
                save=lambda s, v: teams.update_member(
                    s, member_id=member.member_id, user=user, **v
                ),
                changes=("teams",),
                saved=lambda m: self._members_changed(m.id),
            )

        self.op(lambda s: records.member(s, member.member_id), opened)

    def delete_member(self) -> None:
        member = self.members.current()
        if member is None:
            self.need_selection(tr("一名队员"))
            return
        if not self.confirm_delete(tr("队员“{name}”").format(name=member.name)):
            return
        user = self.ctx.user
        self.op(
            lambda s: teams.delete_member(s, member_id=member.member_id, user=user),
            lambda _r: self._members_changed(),
            changes=("teams",),
        )

    # --- certificates ----------------------------------------------------------------------

    def add_certificate(self) -> None:
        member = self.members.current()
        if member is None:
            self.need_selection(tr("一名队员"))
            return
        user = self.ctx.user
        self.form(
            name="certificateNew",
            title=tr("添加证书：{name}").format(name=member.name),
            fields=certificate_fields(),
            values={"issued_on": self.ctx.as_of()},
            save=lambda s, v: teams.add_certificate(s, member_id=member.member_id, user=user, **v),
            changes=("teams",),
            saved=lambda _c: self.load_members(),
        )

    def edit_certificate(self) -> None:
        cert = self.certificates.current()
        if cert is None:
            self.need_selection(tr("一项证书"))
            return
        user = self.ctx.user

        def opened(values: dict[str, Any]) -> None:
            self.form(
                name="certificateEdit",
                title=tr("编辑证书"),
                fields=certificate_fields(),
                values=values,
                save=lambda s, v: teams.update_certificate(
                    s, certificate_id=cert.certificate_id, user=user, **v
                ),
                changes=("teams",),
                saved=lambda _c: self.load_certificates(),
            )

        self.op(lambda s: records.certificate(s, cert.certificate_id), opened)

    def delete_certificate(self) -> None:
        cert = self.certificates.current()
        if cert is None:
            self.need_selection(tr("一项证书"))
            return
        if not self.confirm_delete(tr("证书 {number}").format(number=cert.number)):
            return
        user = self.ctx.user
        self.op(
            lambda s: teams.delete_certificate(s, certificate_id=cert.certificate_id, user=user),
            lambda _r: self.load_members(),
            changes=("teams",),
        )
