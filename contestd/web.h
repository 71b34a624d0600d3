/* The web terminal: the static files of contestd/web/ (HTML, JavaScript,
 * CSS), embedded at build time and served with a content type, an ETag for
 * conditional GETs and the page's Content-Security-Policy. */
#ifndef CONTESTD_WEB_H
#define CONTESTD_WEB_H

#include "http.h"

/* GET / (the app's index.html) and GET /static/NAME: the embedded file, or
 * 304 when If-None-Match names its ETag, or a JSON 404. */
void web_get(struct request *req);

/* The public pages: GET /results, /results/EVENT, /v/PAYLOAD, /V/PAYLOAD
 * and /v all answer the one page public.html, whose script shows what the
 * path asks for. */
void web_public_get(struct request *req);

#endif
