"""Login, the caller, device registration and user creation (admin)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy import delete
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from odc_sync.protocol.messages import API_PREFIX, Role
from odc_sync.protocol.signing import key_id, public_key_from_b64
from odc_sync.server import audit
from odc_sync.server.accounts import AccountError, Caller, create_user, login, token_sha256
from odc_sync.server.app import ApiError, CallerDep, config_of, require_role
from odc_sync.server.clock import now, now_iso
from odc_sync.server.db import in_transaction
from odc_sync.server.models import Device, Token

router = APIRouter(prefix=API_PREFIX, tags=["accounts"])


class LoginRequest(BaseModel):
    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=1000)


class DeviceRequest(BaseModel):
    device: str = Field(min_length=8, max_length=100, description="a UUID the client chose once")
    public_key: str = Field(description="raw Ed25519 public key, base64")
    name: str = Field(default="", max_length=200)


class UserRequest(BaseModel):
    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=8, max_length=1000)
    role: str
    opd: str | None = None


def _user_view(username: str, role: str, opd: str | None) -> dict[str, Any]:
    return {"username": username, "role": role, "opd": opd}


@router.post("/auth/login", summary="Sign in: a bearer token that expires")
def post_login(body: LoginRequest, request: Request) -> dict[str, Any]:
    config = config_of(request)
    client = request.client.host if request.client else "-"

    def work(session: Session) -> dict[str, Any] | AccountError:
        try:
            token, expires_at, user = login(session, body.username, body.password, client, config.token_ttl_s)
        except AccountError as exc:
            return exc  # returned, not raised: the failure row must be committed
        return {"token": token, "expires_at": now_iso(expires_at), "user": _user_view(user.username, user.role, user.opd_code)}

    outcome = in_transaction(config.engine, work)
    if isinstance(outcome, AccountError):
        headers = {"Retry-After": str(outcome.values["seconds"])} if outcome.code == "too_many_attempts" else None
        raise ApiError(outcome.code, headers=headers, **outcome.values)
    return outcome


@router.post("/auth/logout", status_code=204, summary="End this session (the token stops working)")
def post_logout(request: Request, caller: Caller = CallerDep) -> Response:
    token = request.headers["authorization"].partition(" ")[2].strip()
    in_transaction(config_of(request).engine,
                   lambda s: s.execute(delete(Token).where(Token.token_sha256 == token_sha256(token))))
    return Response(status_code=204)


@router.get("/me", summary="The signed-in user")
def get_me(caller: Caller = CallerDep) -> dict[str, Any]:
    return _user_view(caller.username, caller.role, caller.opd)


@router.post("/devices", summary="Register this device's Ed25519 public key (idempotent)")
def post_device(body: DeviceRequest, request: Request, caller: Caller = CallerDep) -> JSONResponse:
    try:
        public_key_from_b64(body.public_key)
    except ValueError as exc:
        raise ApiError("bad_public_key") from exc

    def work(session: Session) -> int:
        device = session.get(Device, body.device, with_for_update=True)
        if device is not None:
            if device.user_id != caller.user_id or device.public_key != body.public_key:
                raise ApiError("device_taken")
            return 200
        session.add(Device(device_id=body.device, user_id=caller.user_id, public_key=body.public_key,
                           name=body.name, registered_at=now()))
        audit.append(session, caller.username, "device_registered", body.device, {"key_id": key_id(body.public_key)})
        return 201

    status = in_transaction(config_of(request).engine, work)
    return JSONResponse({"device": body.device, "key_id": key_id(body.public_key)}, status_code=status)


@router.post("/users", status_code=201, summary="Create a user (admin only)")
async def post_user(body: UserRequest, request: Request, caller: Caller = CallerDep) -> dict[str, Any]:
    require_role(caller, Role.ADMIN)

    def work(session: Session) -> dict[str, Any]:
        try:
            user = create_user(session, body.username, body.password, body.role, body.opd, actor=caller.username)
        except AccountError as exc:
            raise ApiError(exc.code, **exc.values) from exc
        return _user_view(user.username, user.role, user.opd_code)

    return await run_in_threadpool(in_transaction, config_of(request).engine, work)
