"""The workshop's kernels on the server: released as soon as their page is gone, answered without delay.

Voilà starts one kernel (about 150 MB) per page load.  Its page asks for that
kernel to be shut down when it is closed or reloaded, but only from its
``beforeunload`` handler (a ``sendBeacon``), which a browser does not always
run: a tab closed by a script or a crashed one, a laptop put to sleep, and a
page closed while still loading never send it, and a busy machine can drop
it.  The idle cull (``MappingKernelManager.cull_idle_timeout``) catches those
kernels only after a minute or more, so quick reloads still pile kernels up
(six were alive at once in one test run under coverage).

:class:`ReleasingKernelManager` does not depend on the page: the server knows
when a page's websocket to its kernel closes, and a kernel that no page has
been connected to for :data:`RELEASE_SECONDS` (time for a page to reconnect
after a network hiccup) is shut down.  A kernel whose page never connected
(closed while loading) is still culled by the idle timeout.  A shutdown asked
for a kernel already released is a no-op, so the page's own request and this
release never report an error to the terminal.

:class:`NoDelayConnection` sends a kernel's messages to its page as soon as
they are written.  Tornado leaves Nagle's algorithm on for websockets: after
the kernel's "busy" status, its next small message (the chart) waited for the
browser's delayed acknowledgement, 40 ms on Linux, on about a third of the
filter changes (measured: kernel done in 2 ms, page updated 45-55 ms later).
"""

from __future__ import annotations

import asyncio

from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from traitlets import Float, Set

#: Seconds a kernel may have no page connected before it is shut down (a page that reconnects in time keeps it).
RELEASE_SECONDS = 3.0


class ReleasingKernelManager(AsyncMappingKernelManager):
    """Jupyter's kernel manager, shutting a kernel down once no page has been connected to it for a while."""

    release_seconds = Float(
        RELEASE_SECONDS, config=True, help="Seconds without a connected page after which a kernel is shut down."
    )
    _stopping = Set()  # kernels being shut down now

    def notify_disconnect(self, kernel_id):
        """Notice a websocket closing; when it was the kernel's last, schedule the kernel's release."""
        super().notify_disconnect(kernel_id)
        if self._kernel_connections.get(kernel_id) == 0:
            asyncio.get_running_loop().call_later(
                self.release_seconds, lambda: asyncio.ensure_future(self.release(kernel_id))
            )

    async def release(self, kernel_id) -> bool:
        """Shut ``kernel_id`` down if it still runs and no page is connected to it; True if it was shut down."""
        if kernel_id not in self or self._kernel_connections.get(kernel_id, 0) > 0:
            return False
        self.log.info("Releasing kernel %s: its page is gone", kernel_id)
        try:
            await self.shutdown_kernel(kernel_id)
        except Exception as exc:  # a release that fails is reported, never raised in the event loop
            self.log.warning("Kernel %s could not be released: %s", kernel_id, exc)
            return False
        return True

    async def _async_shutdown_kernel(self, kernel_id, now=False, restart=False):
        """Shut a kernel down; a kernel already shut down or being shut down (released, culled, asked twice) is
        left alone."""
        if kernel_id not in self or kernel_id in self._stopping:
            return None
        self._stopping.add(kernel_id)
        try:
            return await super()._async_shutdown_kernel(kernel_id, now=now, restart=restart)
        finally:
            self._stopping.discard(kernel_id)

    shutdown_kernel = _async_shutdown_kernel  # type: ignore[assignment]  # as jupyter_server itself does


class NoDelayConnection(ZMQChannelsWebsocketConnection):
    """Jupyter's kernel websocket connection with Nagle's algorithm off (``TCP_NODELAY``), so that a small message
    to the page is never held back waiting for the browser to acknowledge the one before."""

    def connect(self):
        self.websocket_handler.set_nodelay(True)
        return super().connect()
