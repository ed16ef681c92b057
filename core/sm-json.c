/* sm-json.c — a strict streaming JSON reader and writer for the bulk of sync
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sanmen-json"

#include "sm-json.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sm-change.h"

static gboolean
fail (SmJsonReader  *reader,
      GError       **error,
      const char    *what)
{
  reader->failed = TRUE;
  g_set_error (error, SM_CHANGE_ERROR, SM_CHANGE_ERROR_MALFORMED,
               /* Translators: %s says what is wrong */
               _("the data is not valid JSON: %s"), what);
  return FALSE;
}

void
sm_json_reader_init (SmJsonReader *reader,
                     const char   *data,
                     gsize         length)
{
  memset (reader, 0, sizeof *reader);
  reader->p = data;
  reader->end = data + length;
  reader->scratch = g_string_sized_new (64);
}

void
sm_json_reader_clear (SmJsonReader *reader)
{
  if (reader->scratch != NULL)
    g_string_free (reader->scratch, TRUE);
  reader->scratch = NULL;
}

gboolean
sm_json_reader_failed (SmJsonReader *reader)
{
  return reader->failed;
}

const char *
sm_json_reader_get_position (SmJsonReader *reader)
{
  return reader->p;
}

static inline void
skip_space (SmJsonReader *reader)
{
  const char *p = reader->p;

  while (p < reader->end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
    p++;
  reader->p = p;
}

static int
hex_digit (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

static gboolean
read_hex4 (SmJsonReader *reader,
           gunichar     *out)
{
  gunichar value = 0;

  if (reader->end - reader->p < 4)
    return FALSE;
  for (int i = 0; i < 4; i++)
    {
      int d = hex_digit (reader->p[i]);

      if (d < 0)
        return FALSE;
      value = (value << 4) | (gunichar) d;
    }
  reader->p += 4;
  *out = value;
  return TRUE;
}

/* 1 for the bytes a string holds as they are: ASCII but control characters, the quote
 * and the backslash. */
static const guint8 plain_byte[256] = {
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

/* The length of the valid UTF-8 sequence of more than one byte at @p (RFC 3629: no
 * overlong forms, no surrogates, nothing past U+10FFFF), or 0. */
static gsize
utf8_sequence (const guchar *p,
               const guchar *end)
{
  gsize avail = (gsize) (end - p);

  if (p[0] >= 0xc2 && p[0] <= 0xdf)
    return avail >= 2 && (p[1] & 0xc0) == 0x80 ? 2 : 0;

  if (p[0] >= 0xe0 && p[0] <= 0xef)
    {
      guchar lo = p[0] == 0xe0 ? 0xa0 : 0x80, hi = p[0] == 0xed ? 0x9f : 0xbf;

      return avail >= 3 && p[1] >= lo && p[1] <= hi && (p[2] & 0xc0) == 0x80 ? 3 : 0;
    }

  if (p[0] >= 0xf0 && p[0] <= 0xf4)
    {
      guchar lo = p[0] == 0xf0 ? 0x90 : 0x80, hi = p[0] == 0xf4 ? 0x8f : 0xbf;

      return avail >= 4 && p[1] >= lo && p[1] <= hi && (p[2] & 0xc0) == 0x80 &&
             (p[3] & 0xc0) == 0x80 ? 4 : 0;
    }

  return 0;
}

/* After the opening quote. Appends the decoded text to @out when given; only checks it
 * otherwise. One pass checks the UTF-8 and finds the end: most of a pull page is the
 * text of its strings. */
static gboolean
read_string (SmJsonReader  *reader,
             GString       *out,
             GError       **error)
{
  const guchar *p = (const guchar *) reader->p;
  const guchar *end = (const guchar *) reader->end;

  for (;;)
    {
      const guchar *run = p;

      for (;;)
        {
          gsize n;

          while (end - p >= 4 && plain_byte[p[0]] && plain_byte[p[1]] && plain_byte[p[2]] &&
                 plain_byte[p[3]])
            p += 4;
          while (p < end && plain_byte[*p])
            p++;
          if (p >= end || *p < 0x80)
            break;
          if ((n = utf8_sequence (p, end)) == 0)
            return fail (reader, error, _("a string is not valid UTF-8"));
          p += n;
        }

      if (out != NULL && p > run)
        g_string_append_len (out, (const char *) run, p - run);

      if (p >= end)
        return fail (reader, error, _("a string is not closed"));

      if (*p == '"')
        {
          reader->p = (const char *) p + 1;
          return TRUE;
        }

      if (*p != '\\')
        return fail (reader, error, _("a control character in a string"));

      if (++p >= end)
        return fail (reader, error, _("a string is not closed"));

      switch (*p++)
        {
        case '"':  if (out) g_string_append_c (out, '"'); break;
        case '\\': if (out) g_string_append_c (out, '\\'); break;
        case '/':  if (out) g_string_append_c (out, '/'); break;
        case 'b':  if (out) g_string_append_c (out, '\b'); break;
        case 'f':  if (out) g_string_append_c (out, '\f'); break;
        case 'n':  if (out) g_string_append_c (out, '\n'); break;
        case 'r':  if (out) g_string_append_c (out, '\r'); break;
        case 't':  if (out) g_string_append_c (out, '\t'); break;
        case 'u':
          {
            gunichar c, low;

            reader->p = (const char *) p;
            if (!read_hex4 (reader, &c))
              return fail (reader, error, _("a bad \\u escape"));
            p = (const guchar *) reader->p;

            if (c == 0)
              {
                reader->failed = TRUE;
                g_set_error_literal (error, SM_CHANGE_ERROR, SM_CHANGE_ERROR_INVALID_VALUE,
                                     _("a text value contains a NUL character (\\u0000)"));
                return FALSE;
              }
            if (c >= 0xdc00 && c <= 0xdfff)
              return fail (reader, error, _("a lone surrogate in a \\u escape"));
            if (c >= 0xd800 && c <= 0xdbff)
              {
                if (end - p < 2 || p[0] != '\\' || p[1] != 'u')
                  return fail (reader, error, _("a lone surrogate in a \\u escape"));
                reader->p = (const char *) p + 2;
                if (!read_hex4 (reader, &low) || low < 0xdc00 || low > 0xdfff)
                  return fail (reader, error, _("a lone surrogate in a \\u escape"));
                p = (const guchar *) reader->p;
                c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
              }
            if (out)
              g_string_append_unichar (out, c);
          }
          break;
        default:
          return fail (reader, error, _("a bad escape in a string"));
        }
    }
}

static gboolean
read_number (SmJsonReader  *reader,
             SmJsonValue   *value,
             GError       **error)
{
  const char *p = reader->p, *end = reader->end, *start = p;
  gboolean negative = FALSE, is_double = FALSE;
  guint64 n = 0, limit;
  const char *digits;

  if (*p == '-')
    {
      negative = TRUE;
      p++;
    }
  digits = p;
  if (p >= end || !g_ascii_isdigit (*p))
    return fail (reader, error, _("a bad number"));
  if (*p == '0')
    p++;
  else
    while (p < end && g_ascii_isdigit (*p))
      p++;

  /* Exactly the limit of the sign, whatever the digits. */
  limit = negative ? G_GUINT64_CONSTANT (9223372036854775808) : G_GUINT64_CONSTANT (9223372036854775807);
  for (const char *d = digits; d < p && !is_double; d++)
    {
      guint digit = (guint) (*d - '0');

      if (n > (limit - digit) / 10)
        {
          /* Too big for an integer: fine for a double, which the next test finds. */
          const char *q = p;

          if (q < end && (*q == '.' || *q == 'e' || *q == 'E'))
            break;
          reader->failed = TRUE;
          g_set_error (error, SM_CHANGE_ERROR, SM_CHANGE_ERROR_INVALID_VALUE,
                       _("the number %.*s does not fit in a 64-bit integer"),
                       (int) MIN (p - start, 40), start);
          return FALSE;
        }
      n = n * 10 + digit;
    }

  if (p < end && *p == '.')
    {
      p++;
      if (p >= end || !g_ascii_isdigit (*p))
        return fail (reader, error, _("a bad number"));
      while (p < end && g_ascii_isdigit (*p))
        p++;
      is_double = TRUE;
    }
  if (p < end && (*p == 'e' || *p == 'E'))
    {
      p++;
      if (p < end && (*p == '+' || *p == '-'))
        p++;
      if (p >= end || !g_ascii_isdigit (*p))
        return fail (reader, error, _("a bad number"));
      while (p < end && g_ascii_isdigit (*p))
        p++;
      is_double = TRUE;
    }

  reader->p = p;
  if (is_double)
    value->type = SM_JSON_DOUBLE;
  else
    {
      value->type = SM_JSON_INT;
      value->integer = negative ? (gint64) (0 - n) : (gint64) n;
    }
  return TRUE;
}

static gboolean
read_literal (SmJsonReader *reader,
              const char   *word,
              gsize         length)
{
  if ((gsize) (reader->end - reader->p) < length || memcmp (reader->p, word, length) != 0)
    return FALSE;
  reader->p += length;
  return TRUE;
}

static gboolean
push (SmJsonReader  *reader,
      GError       **error)
{
  if (reader->depth >= SM_JSON_MAX_DEPTH)
    return fail (reader, error, _("nested too deeply"));
  reader->first[reader->depth++] = TRUE;
  return TRUE;
}

static gboolean
read_value (SmJsonReader  *reader,
            SmJsonValue   *value,
            GString       *strings,
            gboolean       keep_strings,
            GError       **error)
{
  skip_space (reader);
  if (reader->p >= reader->end)
    return fail (reader, error, _("the data ends too early"));

  switch (*reader->p)
    {
    case '{':
      reader->p++;
      value->type = SM_JSON_OBJECT;
      return push (reader, error);

    case '[':
      reader->p++;
      value->type = SM_JSON_ARRAY;
      return push (reader, error);

    case '"':
      {
        GString *out = strings ? strings : reader->scratch;

        reader->p++;
        value->type = SM_JSON_STRING;
        if (!keep_strings)
          return read_string (reader, NULL, error);
        if (strings == NULL)
          g_string_truncate (out, 0);
        value->offset = out->len;
        if (!read_string (reader, out, error))
          return FALSE;
        value->length = out->len - value->offset;
        value->string = out->str + value->offset;
        /* The terminating NUL, kept in the arena so that later strings do not overwrite
         * it. */
        if (strings != NULL)
          g_string_append_c (out, '\0');
        return TRUE;
      }

    case 't':
      value->type = SM_JSON_BOOLEAN;
      value->boolean = TRUE;
      return read_literal (reader, "true", 4) || fail (reader, error, _("an unknown word"));

    case 'f':
      value->type = SM_JSON_BOOLEAN;
      value->boolean = FALSE;
      return read_literal (reader, "false", 5) || fail (reader, error, _("an unknown word"));

    case 'n':
      value->type = SM_JSON_NULL;
      return read_literal (reader, "null", 4) || fail (reader, error, _("an unknown word"));

    default:
      if (*reader->p == '-' || g_ascii_isdigit (*reader->p))
        return read_number (reader, value, error);
      return fail (reader, error, _("an unexpected character"));
    }
}

gboolean
sm_json_reader_read (SmJsonReader  *reader,
                     SmJsonValue   *value,
                     GString       *strings,
                     GError       **error)
{
  return read_value (reader, value, strings, TRUE, error);
}

gboolean
sm_json_reader_next_element (SmJsonReader  *reader,
                             gboolean      *more,
                             GError       **error)
{
  g_return_val_if_fail (reader->depth > 0, FALSE);

  skip_space (reader);
  if (reader->p >= reader->end)
    return fail (reader, error, _("an array is not closed"));

  if (*reader->p == ']' && reader->first[reader->depth - 1])
    {
      reader->p++;
      reader->depth--;
      *more = FALSE;
      return TRUE;
    }
  if (reader->first[reader->depth - 1])
    {
      reader->first[reader->depth - 1] = FALSE;
      *more = TRUE;
      return TRUE;
    }
  if (*reader->p == ']')
    {
      reader->p++;
      reader->depth--;
      *more = FALSE;
      return TRUE;
    }
  if (*reader->p == ',')
    {
      reader->p++;
      *more = TRUE;
      return TRUE;
    }

  return fail (reader, error, _("expected “,” or “]”"));
}

gboolean
sm_json_reader_next_member (SmJsonReader  *reader,
                            const char   **name,
                            GError       **error)
{
  g_return_val_if_fail (reader->depth > 0, FALSE);

  *name = NULL;
  skip_space (reader);
  if (reader->p >= reader->end)
    return fail (reader, error, _("an object is not closed"));

  if (*reader->p == '}')
    {
      reader->p++;
      reader->depth--;
      return TRUE;
    }
  if (!reader->first[reader->depth - 1])
    {
      if (*reader->p != ',')
        return fail (reader, error, _("expected “,” or “}”"));
      reader->p++;
      skip_space (reader);
    }
  reader->first[reader->depth - 1] = FALSE;

  if (reader->p >= reader->end || *reader->p != '"')
    return fail (reader, error, _("expected a member name"));
  reader->p++;
  g_string_truncate (reader->scratch, 0);
  if (!read_string (reader, reader->scratch, error))
    return FALSE;

  skip_space (reader);
  if (reader->p >= reader->end || *reader->p != ':')
    return fail (reader, error, _("expected “:”"));
  reader->p++;

  *name = reader->scratch->str;
  return TRUE;
}

gboolean
sm_json_reader_skip (SmJsonReader       *reader,
                     const SmJsonValue  *value,
                     guint              *out_count,
                     GError            **error)
{
  guint target;
  guint64 objects = 0;  /* one bit per depth below the skipped value's */
  guint count = 0;

  if (out_count != NULL)
    *out_count = 0;
  if (value->type != SM_JSON_ARRAY && value->type != SM_JSON_OBJECT)
    return TRUE;

  g_assert (reader->depth > 0);
  target = reader->depth - 1;
  if (value->type == SM_JSON_OBJECT)
    objects |= G_GUINT64_CONSTANT (1) << (reader->depth - 1);

  while (reader->depth > target)
    {
      guint depth = reader->depth;
      gboolean more;
      SmJsonValue inner;

      if ((objects >> (depth - 1)) & 1)
        {
          const char *name;

          if (!sm_json_reader_next_member (reader, &name, error))
            return FALSE;
          more = name != NULL;
        }
      else if (!sm_json_reader_next_element (reader, &more, error))
        return FALSE;

      if (!more)
        continue;
      if (depth == target + 1)
        count++;

      if (!read_value (reader, &inner, NULL, FALSE, error))
        return FALSE;
      if (inner.type == SM_JSON_OBJECT)
        objects |= G_GUINT64_CONSTANT (1) << (reader->depth - 1);
      else if (inner.type == SM_JSON_ARRAY)
        objects &= ~(G_GUINT64_CONSTANT (1) << (reader->depth - 1));
    }

  if (out_count != NULL)
    *out_count = count;
  return TRUE;
}

gboolean
sm_json_reader_skip_unchecked (SmJsonReader       *reader,
                               const SmJsonValue  *value,
                               guint              *out_count,
                               GError            **error)
{
  const char *p = reader->p, *end = reader->end;
  guint depth = 1;     /* below the skipped value's brackets */
  guint commas = 0;
  gboolean empty = TRUE;

  if (out_count != NULL)
    *out_count = 0;
  if (value->type != SM_JSON_ARRAY && value->type != SM_JSON_OBJECT)
    return TRUE;

  while (depth > 0)
    {
      if (p >= end)
        return fail (reader, error, _("the data ends too early"));

      switch (*p)
        {
        case '"':
          {
            const char *start = ++p, *q, *b;

            /* The closing quote is the first one after an even run of backslashes. */
            for (;;)
              {
                if (!(q = memchr (p, '"', (gsize) (end - p))))
                  return fail (reader, error, _("a string is not closed"));
                for (b = q; b > start && b[-1] == '\\'; b--)
                  ;
                p = q + 1;
                if (((q - b) & 1) == 0)
                  break;
              }
            empty = FALSE;
            continue;
          }

        case '[':
        case '{':
          depth++;
          empty = FALSE;
          break;

        case ']':
        case '}':
          depth--;
          break;

        case ',':
          if (depth == 1)
            commas++;
          break;

        case ' ':
        case '\n':
        case '\r':
        case '\t':
          break;

        default:
          empty = FALSE;
          break;
        }
      p++;
    }

  reader->p = p;
  reader->depth--;
  if (out_count != NULL)
    *out_count = empty ? 0 : commas + 1;
  return TRUE;
}

gboolean
sm_json_reader_end (SmJsonReader  *reader,
                    GError       **error)
{
  skip_space (reader);
  if (reader->p != reader->end)
    return fail (reader, error, _("more data after the end"));
  return TRUE;
}

/* ---------------------------------------------------------------- writing */

char *
sm_json_write_string (char       *out,
                      const char *text)
{
  static const char hex[] = "0123456789abcdef";
  const guchar *p = (const guchar *) text;

  *out++ = '"';
  for (; *p != '\0'; p++)
    {
      guchar c = *p;

      if (c >= 0x20 && c != '"' && c != '\\')
        {
          *out++ = (char) c;
          continue;
        }

      *out++ = '\\';
      switch (c)
        {
        case '"':  *out++ = '"'; break;
        case '\\': *out++ = '\\'; break;
        case '\n': *out++ = 'n'; break;
        case '\r': *out++ = 'r'; break;
        case '\t': *out++ = 't'; break;
        case '\b': *out++ = 'b'; break;
        case '\f': *out++ = 'f'; break;
        default:
          *out++ = 'u';
          *out++ = '0';
          *out++ = '0';
          *out++ = hex[c >> 4];
          *out++ = hex[c & 0xf];
          break;
        }
    }
  *out++ = '"';

  return out;
}

char *
sm_json_write_int (char   *out,
                   gint64  value)
{
  char buffer[24];
  char *p = buffer + sizeof buffer;
  guint64 n = value < 0 ? 0 - (guint64) value : (guint64) value;

  do
    {
      *--p = (char) ('0' + n % 10);
      n /= 10;
    }
  while (n != 0);
  if (value < 0)
    *--p = '-';

  memcpy (out, p, (gsize) (buffer + sizeof buffer - p));
  return out + (buffer + sizeof buffer - p);
}

void
sm_json_append_string (GString    *out,
                       const char *text)
{
  const guchar *p = (const guchar *) text, *run = p;

  g_string_append_c (out, '"');
  for (; *p != '\0'; p++)
    {
      guchar c = *p;

      if (c >= 0x20 && c != '"' && c != '\\')
        continue;

      g_string_append_len (out, (const char *) run, p - run);
      run = p + 1;
      switch (c)
        {
        case '"':  g_string_append_len (out, "\\\"", 2); break;
        case '\\': g_string_append_len (out, "\\\\", 2); break;
        case '\n': g_string_append_len (out, "\\n", 2); break;
        case '\r': g_string_append_len (out, "\\r", 2); break;
        case '\t': g_string_append_len (out, "\\t", 2); break;
        case '\b': g_string_append_len (out, "\\b", 2); break;
        case '\f': g_string_append_len (out, "\\f", 2); break;
        default:   g_string_append_printf (out, "\\u%04x", c); break;
        }
    }
  g_string_append_len (out, (const char *) run, p - run);
  g_string_append_c (out, '"');
}

void
sm_json_append_int (GString *out,
                    gint64   value)
{
  char buffer[24];
  char *p = buffer + sizeof buffer;
  guint64 n = value < 0 ? 0 - (guint64) value : (guint64) value;

  do
    {
      *--p = (char) ('0' + n % 10);
      n /= 10;
    }
  while (n != 0);
  if (value < 0)
    *--p = '-';

  g_string_append_len (out, p, buffer + sizeof buffer - p);
}
