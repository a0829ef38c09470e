"""Members' saved scenarios (store/saved_scenarios.py): save one from the form on /scenarios, open and run it at
/scenarios/saved/ID, edit its YAML and visibility (its owner), delete it (its owner or an editor).

A scenario the visitor may not see answers 404, exactly as one that does not exist, so that its id discloses
nothing. Every change is a POST with the CSRF token (web/auth.require_user) and ends in a redirect.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Engine

from fusionatlas.domain.messages import in_language
from fusionatlas.domain.values import INT32
from fusionatlas.scenarios.inputs import ScenarioError, bundled
from fusionatlas.scenarios.results import run
from fusionatlas.store import saved_scenarios as saved
from fusionatlas.store.accounts import User
from fusionatlas.web import auth
from fusionatlas.web.cache import per_state
from fusionatlas.web.i18n import language, translator
from fusionatlas.web.pages.scenarios import detail_context, list_context
from fusionatlas.web.render import render
from fusionatlas.web.viewer import viewer

SavedId = Annotated[int, Path(ge=1, le=INT32[1])]
AnyUser = Annotated[User, Depends(auth.require_user())]
YamlText = Annotated[str, Form(max_length=saved.MAX_YAML)]
Visibility = Annotated[str, Form(max_length=16)]


def _t(request: Request, text: str) -> str:
    return translator(language(request))(text)


def _partners(text: str) -> list[str]:
    return [p.strip() for p in text.split(",") if p.strip()]


def router(engine: Engine) -> APIRouter:
    routes = APIRouter()

    def find(request: Request, saved_id: int) -> saved.SavedScenario:
        """The saved scenario if the visitor may see it, else 404 (the same answer as for no such scenario)."""
        with engine.connect() as connection:
            found = saved.get(connection, saved_id, viewer(request))
        if found is None:
            raise HTTPException(404)
        return found

    def run_saved(request: Request, found: saved.SavedScenario, country: str, partners: str) -> dict[str, Any]:
        """The run as this visitor may see the atlas, kept per data version, audience, inputs and YAML."""
        seen = viewer(request)
        scenario = saved.parse(found.yaml)
        key = ("saved-scenario", found.id, found.digest, country.upper(), partners.upper(), seen.sight)
        with engine.connect() as connection:
            return per_state(connection, key, lambda c: run(c, seen, scenario, bundled(), country, _partners(partners)))

    @routes.post("/scenarios/save", response_class=HTMLResponse)
    def save_scenario(
        request: Request, user: AnyUser, scenario_yaml: YamlText, visibility: Visibility = "private"
    ) -> Response:
        """Store the YAML typed into the form on /scenarios (nothing is stored when it does not parse)."""
        try:
            with engine.begin() as connection:
                saved_id = saved.save(connection, user, scenario_yaml, visibility)
        except (ScenarioError, saved.SavedScenarioError) as error:
            context = {
                **list_context(engine, request, scenario_yaml),
                "error": in_language(str(error), language(request)),
                "visibility": visibility,
            }
            return render(request, "scenarios_list.html", context, 422)
        return RedirectResponse(f"/scenarios/saved/{saved_id}", status_code=303)

    @routes.get("/scenarios/saved/{saved_id}", response_class=HTMLResponse)
    def saved_page(
        request: Request,
        saved_id: SavedId,
        country: Annotated[str, Query(max_length=2)] = "JP",
        partners: Annotated[str, Query(max_length=100)] = "",
    ) -> HTMLResponse:
        found = find(request, saved_id)
        seen = viewer(request)
        context: dict[str, Any] = {
            "sid": None,
            "saved": found,
            "mine": saved.may_edit(found, seen),
            "may_delete": saved.may_delete(found, seen),
            "country": country,
            "partners": partners,
        }
        try:
            data = run_saved(request, found, country, partners)
        except ScenarioError as error:
            return render(
                request,
                "scenarios_detail.html",
                {**context, "error": in_language(str(error), language(request)), "data": None},
                422,
            )
        page = detail_context(engine, request, data, saved.parse(found.yaml))
        return render(request, "scenarios_detail.html", {**context, **page})

    @routes.get("/scenarios/saved/{saved_id}/edit", response_class=HTMLResponse)
    def edit_page(request: Request, saved_id: SavedId) -> HTMLResponse:
        found = find(request, saved_id)
        if not saved.may_edit(found, viewer(request)):
            raise HTTPException(403, _t(request, "Only its owner may edit a saved scenario."))
        context = {"saved": found, "yaml_text": found.yaml, "visibility": found.visibility}
        return render(request, "scenarios_edit.html", {**context, "VISIBILITIES": saved.VISIBILITIES})

    @routes.post("/scenarios/saved/{saved_id}", response_class=HTMLResponse)
    def change_scenario(
        request: Request, saved_id: SavedId, user: AnyUser, scenario_yaml: YamlText, visibility: Visibility
    ) -> Response:
        found = find(request, saved_id)
        audience = auth.viewer_of(user)
        if not saved.may_edit(found, audience):
            raise HTTPException(403, _t(request, "Only its owner may edit a saved scenario."))
        try:
            with engine.begin() as connection:
                saved.change(connection, found.id, audience, scenario_yaml, visibility)
        except (ScenarioError, saved.SavedScenarioError) as error:
            context = {
                "saved": found,
                "yaml_text": scenario_yaml,
                "visibility": visibility,
                "error": in_language(str(error), language(request)),
            }
            return render(request, "scenarios_edit.html", {**context, "VISIBILITIES": saved.VISIBILITIES}, 422)
        return RedirectResponse(f"/scenarios/saved/{found.id}", status_code=303)

    @routes.post("/scenarios/saved/{saved_id}/delete")
    def delete_scenario(request: Request, saved_id: SavedId, user: AnyUser) -> Response:
        found = find(request, saved_id)
        try:
            with engine.begin() as connection:
                saved.remove(connection, found.id, auth.viewer_of(user))
        except saved.SavedScenarioError:
            raise HTTPException(403, _t(request, "Only its owner or an editor may delete a saved scenario.")) from None
        return RedirectResponse("/scenarios", status_code=303)

    return routes
