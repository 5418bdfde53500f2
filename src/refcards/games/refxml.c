/* refxml.c — expat driver for the XML binding parsers: DTD refusal, depth cap, optional
 * wrapping of multi-root files, and "line N: reason" errors. See refxml.h. */
#include "refcards/games/refxml.h"

#include <expat.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define WRAP_NAME "cartouche-wrap"

struct refxml {
    XML_Parser p;
    const refxml_handlers *h;
    int depth;      /* current element depth as the handlers see it */
    int wrapped;    /* 1 while inside the synthetic wrapper */
    int failed;     /* a handler or a guard stopped the parser */
    int closing;    /* feeding the wrapper's end tag: an error now means the file ended early */
    err_t err;
    /* refxml_root() only */
    char *root_name;
    size_t root_n;
    int root_line;
    int root_found;
};

int refxml_line(const refxml *x)
{
    return (int)XML_GetCurrentLineNumber(x->p);
}

void refxml_fail(refxml *x, const char *fmt, ...)
{
    if (x->failed)
        return;
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    err_set(&x->err, ERR_UNPROCESSABLE, NULL, "line %d: %s", refxml_line(x), msg);
    x->failed = 1;
    XML_StopParser(x->p, XML_FALSE);
}

void refxml_fail_err(refxml *x, const err_t *e)
{
    if (x->failed)
        return;
    x->err = *e;
    x->failed = 1;
    XML_StopParser(x->p, XML_FALSE);
}

const char *refxml_attr(const char **attrs, const char *name)
{
    for (int i = 0; attrs && attrs[i]; i += 2)
        if (strcmp(attrs[i], name) == 0)
            return attrs[i + 1];
    /* Games read attribute names without regard to case: Frontier's own presets write
     * key="" beside Key="", MSFS files carry ProductID or ProductId. */
    for (int i = 0; attrs && attrs[i]; i += 2)
        if (strcasecmp(attrs[i], name) == 0)
            return attrs[i + 1];
    return NULL;
}

/* A DTD is never part of a binding file; refusing it up front means no entity can ever be
 * declared, so there is nothing to expand (billion laughs) and nothing external to fetch. */
static void on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
                       const XML_Char *pubid, int has_internal_subset)
{
    refxml_fail(ud, "DOCTYPE declarations are not allowed in a binding file");
}

static void on_entity(void *ud, const XML_Char *name, int is_param, const XML_Char *value,
                      int value_len, const XML_Char *base, const XML_Char *sysid,
                      const XML_Char *pubid, const XML_Char *notation)
{
    refxml_fail(ud, "entity declarations are not allowed in a binding file");
}

static void on_start(void *ud, const XML_Char *name, const XML_Char **attrs)
{
    refxml *x = ud;
    if (x->failed)
        return;
    if (x->h->wrap && !x->wrapped && x->depth == 0 && strcmp(name, WRAP_NAME) == 0) {
        x->wrapped = 1;
        return;
    }
    if (++x->depth > REFXML_MAX_DEPTH) {
        refxml_fail(x, "elements nested deeper than %d", REFXML_MAX_DEPTH);
        return;
    }
    x->h->start(x, x->h->ud, name, attrs, x->depth);
}

static void on_end(void *ud, const XML_Char *name)
{
    refxml *x = ud;
    if (x->failed)
        return;
    if (x->depth == 0) /* the wrapper closing */
        return;
    x->h->end(x, x->h->ud, name, x->depth);
    x->depth--;
}

static void on_text(void *ud, const XML_Char *s, int len)
{
    refxml *x = ud;
    if (!x->failed && x->h->text)
        x->h->text(x, x->h->ud, s, len);
}

static XML_Parser new_parser(refxml *x)
{
    /* The encoding is forced: every upload is converted to UTF-8 before a parser sees it
     * (textenc.c), but the file's own declaration still says what it was written in
     * (encoding="Windows-1252", "utf-16"). A protocol encoding makes expat ignore that
     * declaration instead of refusing the document or converting it a second time. */
    XML_Parser p = XML_ParserCreate("UTF-8");
    if (!p)
        return NULL;
    XML_SetUserData(p, x);
    XML_SetStartDoctypeDeclHandler(p, on_doctype);
    XML_SetEntityDeclHandler(p, on_entity);
    XML_SetParamEntityParsing(p, XML_PARAM_ENTITY_PARSING_NEVER);
    return p;
}

static int feed(refxml *x, const char *s, size_t len, int final)
{
    /* expat takes an int length: feed big inputs in slices. */
    const size_t slice = 1u << 20;
    do {
        size_t n = len < slice ? len : slice;
        int last = final && n == len;
        if (XML_Parse(x->p, s, (int)n, last) != XML_STATUS_OK)
            return -1;
        s += n;
        len -= n;
    } while (len > 0);
    return 0;
}

static void expat_error(refxml *x, err_t *err)
{
    if (x->failed) {
        if (err)
            *err = x->err;
        return;
    }
    if (x->closing) {
        err_set(err, ERR_UNPROCESSABLE, NULL, "line %d: unexpected end of file (truncated file?)",
                (int)XML_GetCurrentLineNumber(x->p));
        return;
    }
    enum XML_Error code = XML_GetErrorCode(x->p);
    /* These are what a file cut short produces; say so. */
    int cut = code == XML_ERROR_UNCLOSED_TOKEN || code == XML_ERROR_NO_ELEMENTS ||
              code == XML_ERROR_PARTIAL_CHAR || code == XML_ERROR_UNCLOSED_CDATA_SECTION;
    err_set(err, ERR_UNPROCESSABLE, NULL, "line %d: %s%s", (int)XML_GetCurrentLineNumber(x->p),
            XML_ErrorString(code), cut ? " (truncated file?)" : "");
}

/* Length of a leading BOM, whitespace and <?xml ...?> declaration; *newlines gets how many
 * line breaks that prefix holds so the wrapped document keeps its line numbers. */
static size_t decl_prefix(const char *s, size_t len, int *newlines)
{
    size_t i = 0;
    *newlines = 0;
    if (len >= 3 && (unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB &&
        (unsigned char)s[2] == 0xBF)
        i = 3;
    size_t ws = i;
    while (ws < len && (s[ws] == ' ' || s[ws] == '\t' || s[ws] == '\r' || s[ws] == '\n'))
        ws++;
    if (len - ws < 5 || memcmp(s + ws, "<?xml", 5) != 0)
        return i;
    for (size_t j = ws + 5; j + 1 < len; j++)
        if (s[j] == '?' && s[j + 1] == '>') {
            for (size_t k = 0; k < j; k++)
                *newlines += s[k] == '\n';
            return j + 2;
        }
    return i; /* unterminated declaration: let expat report it */
}

int refxml_parse(const char *data, size_t len, const refxml_handlers *h, err_t *err)
{
    refxml x = {.h = h};
    x.p = new_parser(&x);
    if (!x.p) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory for the XML parser");
        return -1;
    }
    XML_SetElementHandler(x.p, on_start, on_end);
    XML_SetCharacterDataHandler(x.p, on_text);

    int rc = 0;
    if (h->wrap) {
        /* Inside the wrapper a DOCTYPE is a mere syntax error; check the prolog on its own
         * first so a DTD gets the same clear refusal as in a single-root file. */
        char first[64];
        int line;
        if (refxml_root(data, len, first, sizeof first, &line, err) < 0) {
            XML_ParserFree(x.p);
            return -1;
        }
        int nl;
        size_t skip = decl_prefix(data, len, &nl);
        static const char open[] = "<" WRAP_NAME ">", close[] = "</" WRAP_NAME ">";
        static const char breaks[] = "\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n";
        rc = feed(&x, open, sizeof open - 1, 0);
        /* Replay the declaration's line breaks inside the wrapper so lines stay true. */
        while (rc == 0 && nl > 0) {
            int k = nl < (int)sizeof breaks - 1 ? nl : (int)sizeof breaks - 1;
            rc = feed(&x, breaks, (size_t)k, 0);
            nl -= k;
        }
        if (rc == 0)
            rc = feed(&x, data + skip, len - skip, 0);
        if (rc == 0) {
            x.closing = 1;
            rc = feed(&x, close, sizeof close - 1, 1);
        }
    } else {
        rc = feed(&x, data, len, 1);
    }
    if (rc < 0 || x.failed) {
        expat_error(&x, err);
        rc = -1;
    }
    XML_ParserFree(x.p);
    return rc;
}

static void root_start(void *ud, const XML_Char *name, const XML_Char **attrs)
{
    refxml *x = ud;
    snprintf(x->root_name, x->root_n, "%s", name);
    x->root_line = (int)XML_GetCurrentLineNumber(x->p);
    x->root_found = 1;
    XML_StopParser(x->p, XML_FALSE);
}

int refxml_root(const char *data, size_t len, char *name, size_t n, int *line, err_t *err)
{
    refxml x = {.root_name = name, .root_n = n};
    x.p = new_parser(&x);
    if (!x.p) {
        err_set(err, ERR_INTERNAL, NULL, "out of memory for the XML parser");
        return -1;
    }
    XML_SetStartElementHandler(x.p, root_start);
    /* Only the prologue and the first tag matter; a bounded prefix keeps sniffing cheap. */
    size_t sniff = len < 65536 ? len : 65536;
    int rc = feed(&x, data, sniff, sniff == len);
    if (x.root_found) {
        *line = x.root_line;
        XML_ParserFree(x.p);
        return 0;
    }
    if (rc == 0) /* prefix ended before any element */
        err_set(err, ERR_UNPROCESSABLE, NULL, "line %d: no XML element found",
                (int)XML_GetCurrentLineNumber(x.p));
    else
        expat_error(&x, err);
    XML_ParserFree(x.p);
    return -1;
}
