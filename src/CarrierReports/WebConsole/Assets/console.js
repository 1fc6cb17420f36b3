// The console's only script. Pages work without it; it adds the antiforgery header to htmx requests.
(function () {
    'use strict';
    var meta = document.querySelector('meta[name="csrf-token"]');
    // htmx 4 names this event htmx:config:request (htmx 2 called it htmx:configRequest).
    document.addEventListener('htmx:config:request', function (evt) {
        if (meta && evt.detail && evt.detail.ctx && evt.detail.ctx.request) {
            evt.detail.ctx.request.headers['X-CSRF-TOKEN'] = meta.getAttribute('content');
        }
    });
})();
