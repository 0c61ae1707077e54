"""A whole (non-streamed) chat completion, with fallback across the planned targets."""

from __future__ import annotations

from application.chat.command import ChatCommand, ChatResult
from application.chat.route_run import ChatRouter, call_within
from domain.errors import GatewayError, ProviderError


class CompleteChat:
    """Tries each planned target (rule chosen, split applied, cooling providers skipped) in order
    until one answers, each within its timeout and all within the request's deadline. A failure
    the fallback policy allows moves on; any other ends the request. Every attempt, failed or
    not, leaves one usage record; a failed one carries no output tokens."""

    def __init__(self, router: ChatRouter) -> None:
        self._router = router

    async def execute(self, command: ChatCommand) -> ChatResult:
        run = await self._router.open(command)
        for target, seconds in run.attempts():
            started = run.log.start()
            try:
                call = run.adapter(target).complete(run.request_for(target))
                response = await call_within(seconds, target.provider, call)
            except ProviderError as exc:
                if await run.failed(target, started, exc):
                    continue
                break
            except GatewayError as exc:
                if run.refused(target, started, exc):
                    continue
                raise
            await run.succeeded(target, started, response.usage)
            return ChatResult(response=response, target=target, attempts=run.log.count, rule=run.rule)
        raise run.exhausted()
