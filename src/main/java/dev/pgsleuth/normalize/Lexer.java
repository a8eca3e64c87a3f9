package dev.pgsleuth.normalize;

import java.util.Arrays;

/**
 * PostgreSQL lexer over a String's chars, following {@code scan.l}: quoted strings in all their
 * prefixed forms, dollar quotes, numbers with radix prefixes and underscores, quoted identifiers,
 * nested block comments, operators (with the trailing {@code +}/{@code -} rule), {@code $n}, JDBC
 * {@code ?} and {@code :name} binds. Tokens live in parallel int/long arrays reused across calls,
 * so lexing allocates nothing once the arrays have grown; one instance belongs to one thread.
 */
final class Lexer {

    static final int IDENT = 1;
    static final int QIDENT = 2;
    static final int STRING = 3;
    static final int NUMBER = 4;
    static final int PARAM = 5;
    static final int QMARK = 6;
    static final int NAMED = 7;
    static final int OP = 8;
    static final int LPAREN = 9;
    static final int RPAREN = 10;
    static final int LBRACK = 11;
    static final int RBRACK = 12;
    static final int COMMA = 13;
    static final int SEMI = 14;
    static final int DOT = 15;
    static final int CAST = 16;

    /** Kinds of {@link #STRING}: how to unquote it. */
    static final int STR_PLAIN = 0;
    static final int STR_ESCAPE = 1;
    static final int STR_DOLLAR = 2;

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    static final long NOT_EQUALS = keyword("<>");
    static final long EQUALS = keyword("=");

    String src;
    int count;
    int[] type = new int[64];
    int[] start = new int[64];
    int[] end = new int[64];
    /** Token hash: identifiers lower-cased (quoted ones as written), operators by their chars. */
    long[] hash = new long[64];
    /** For brackets: index of the matching bracket, or {@link #count} when unbalanced. */
    int[] match = new int[64];
    /** For strings: the STR_* kind, telling how to unquote it. */
    int[] aux = new int[64];
    /** Highest {@code $n} seen, for numbering new placeholders after it. */
    int maxParam;

    private int[] stack = new int[16];

    /** FNV-1a of a lower-case ASCII keyword, equal to the hash of that word as an identifier. */
    static long keyword(String word) {
        long h = FNV_OFFSET;
        for (int i = 0; i < word.length(); i++) {
            h = (h ^ word.charAt(i)) * FNV_PRIME;
        }
        return h;
    }

    static long hashChars(CharSequence s, int from, int to) {
        long h = FNV_OFFSET;
        for (int i = from; i < to; i++) {
            h = (h ^ s.charAt(i)) * FNV_PRIME;
        }
        return h;
    }

    /** Tokenizes {@code sql}; never throws. */
    void lex(String sql) {
        src = sql;
        count = 0;
        maxParam = 0;
        int n = sql.length();
        int i = 0;
        int depth = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (c <= ' ') {
                i++;
                continue;
            }
            if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                i += 2;
                while (i < n && sql.charAt(i) != '\n' && sql.charAt(i) != '\r') {
                    i++;
                }
                continue;
            }
            if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                i = skipBlockComment(sql, i + 2, n);
                continue;
            }
            int s = i;
            switch (c) {
                case '(':
                case '[':
                    add(c == '(' ? LPAREN : LBRACK, s, i + 1, c);
                    if (depth == stack.length) {
                        stack = Arrays.copyOf(stack, depth * 2);
                    }
                    stack[depth++] = count - 1;
                    i++;
                    continue;
                case ')':
                case ']': {
                    int t = c == ')' ? RPAREN : RBRACK;
                    int open = t == RPAREN ? LPAREN : LBRACK;
                    if (depth > 0 && type[stack[depth - 1]] == open) {
                        int o = stack[--depth];
                        add(t, s, i + 1, c);
                        match[o] = count - 1;
                        match[count - 1] = o;
                    } else {
                        add(OP, s, i + 1, c);
                    }
                    i++;
                    continue;
                }
                case ',':
                    add(COMMA, s, i + 1, c);
                    i++;
                    continue;
                case ';':
                    add(SEMI, s, i + 1, c);
                    i++;
                    continue;
                case '\'':
                    i = quoted(sql, i + 1, n, false);
                    addString(s, i, STR_PLAIN);
                    continue;
                case '"':
                    i = quotedIdent(sql, i + 1, n);
                    continue;
                case '$':
                    i = dollar(sql, i, n);
                    continue;
                case ':':
                    if (i + 1 < n && sql.charAt(i + 1) == ':') {
                        add(CAST, s, i + 2, ':');
                        i += 2;
                    } else if (i + 1 < n && isIdentStart(sql.charAt(i + 1))) {
                        i = identEnd(sql, i + 2, n);
                        add(NAMED, s, i, ':');
                    } else {
                        add(OP, s, i + 1, ':');
                        i++;
                    }
                    continue;
                case '.':
                    if (i + 1 < n && isDigit(sql.charAt(i + 1))) {
                        i = number(sql, i, n);
                    } else {
                        add(DOT, s, i + 1, '.');
                        i++;
                    }
                    continue;
                default:
                    break;
            }
            if (isDigit(c)) {
                i = number(sql, i, n);
            } else if (isIdentStart(c)) {
                i = word(sql, i, n);
            } else if (c == '?') {
                i = questionMark(sql, i, n);
            } else if (isOpChar(c)) {
                i = operator(sql, i, n);
            } else {
                add(OP, s, i + 1, c);
                i++;
            }
        }
        while (depth > 0) {
            match[stack[--depth]] = count;
        }
    }

    private static int skipBlockComment(String sql, int i, int n) {
        int level = 1;
        while (i < n && level > 0) {
            char c = sql.charAt(i);
            if (c == '*' && i + 1 < n && sql.charAt(i + 1) == '/') {
                level--;
                i += 2;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                level++;
                i += 2;
            } else {
                i++;
            }
        }
        return i;
    }

    /** Index after the closing quote of a {@code '…'} body starting at {@code i}. */
    private static int quoted(String sql, int i, int n, boolean backslashEscapes) {
        while (i < n) {
            char c = sql.charAt(i);
            if (backslashEscapes && c == '\\') {
                i += 2;
            } else if (c == '\'') {
                if (i + 1 < n && sql.charAt(i + 1) == '\'') {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        return n;
    }

    private int quotedIdent(String sql, int i, int n) {
        int s = i - 1;
        long h = FNV_OFFSET;
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '"') {
                if (i + 1 < n && sql.charAt(i + 1) == '"') {
                    h = (h ^ '"') * FNV_PRIME;
                    i += 2;
                    continue;
                }
                i++;
                break;
            }
            h = (h ^ c) * FNV_PRIME;
            i++;
        }
        add(QIDENT, s, i, 0);
        hash[count - 1] = h;
        return i;
    }

    private int dollar(String sql, int i, int n) {
        int s = i;
        int j = i + 1;
        if (j < n && isDigit(sql.charAt(j))) {
            int v = 0;
            while (j < n && isDigit(sql.charAt(j))) {
                v = v > 100_000_000 ? v : v * 10 + (sql.charAt(j) - '0');
                j++;
            }
            maxParam = Math.max(maxParam, v);
            add(PARAM, s, j, '$');
            return j;
        }
        if (j < n && isIdentStart(sql.charAt(j)) && sql.charAt(j) != '$') {
            j++;
            while (j < n && isTagChar(sql.charAt(j))) {
                j++;
            }
        }
        if (j < n && sql.charAt(j) == '$') {
            int tagLen = j + 1 - s;
            int close = sql.indexOf('$', j + 1);
            while (close >= 0 && !sql.regionMatches(close, sql, s, tagLen)) {
                close = sql.indexOf('$', close + 1);
            }
            int e = close < 0 ? n : close + tagLen;
            addString(s, e, STR_DOLLAR);
            return e;
        }
        add(OP, s, s + 1, '$');
        return s + 1;
    }

    private int number(String sql, int i, int n) {
        int s = i;
        if (sql.charAt(i) == '0' && i + 1 < n) {
            char x = (char) (sql.charAt(i + 1) | 0x20);
            if (x == 'x' || x == 'o' || x == 'b') {
                i += 2;
                while (i < n && (isHex(sql.charAt(i)) || sql.charAt(i) == '_')) {
                    i++;
                }
                add(NUMBER, s, i, '0');
                return i;
            }
        }
        i = digits(sql, i, n);
        if (i < n && sql.charAt(i) == '.' && !(i + 1 < n && sql.charAt(i + 1) == '.')) {
            i = digits(sql, i + 1, n);
        }
        if (i < n && (sql.charAt(i) | 0x20) == 'e') {
            int j = i + 1;
            if (j < n && (sql.charAt(j) == '+' || sql.charAt(j) == '-')) {
                j++;
            }
            if (j < n && isDigit(sql.charAt(j))) {
                i = digits(sql, j, n);
            }
        }
        add(NUMBER, s, i, '0');
        return i;
    }

    private static int digits(String sql, int i, int n) {
        while (i < n && (isDigit(sql.charAt(i)) || (sql.charAt(i) == '_' && i + 1 < n && isDigit(sql.charAt(i + 1))))) {
            i++;
        }
        return i;
    }

    /** An identifier or keyword, or a prefixed string ({@code E'…'}, {@code U&'…'}, {@code B'…'}, …). */
    private int word(String sql, int i, int n) {
        int s = i;
        char c = (char) (sql.charAt(i) | 0x20);
        if (i + 1 < n && sql.charAt(i + 1) == '\'') {
            if (c == 'e') {
                int e = quoted(sql, i + 2, n, true);
                addString(s, e, STR_ESCAPE);
                return e;
            }
            if (c == 'b' || c == 'x' || c == 'n') {
                int e = quoted(sql, i + 2, n, false);
                addString(s, e, STR_PLAIN);
                return e;
            }
        }
        if (c == 'u' && i + 2 < n && sql.charAt(i + 1) == '&' && sql.charAt(i + 2) == '\'') {
            int e = quoted(sql, i + 3, n, false);
            addString(s, e, STR_PLAIN);
            return e;
        }
        long h = FNV_OFFSET;
        while (i < n) {
            char ch = sql.charAt(i);
            if (ch >= 'A' && ch <= 'Z') {
                ch = (char) (ch | 0x20);
            } else if (!isIdentPart(ch)) {
                break;
            }
            h = (h ^ ch) * FNV_PRIME;
            i++;
        }
        add(IDENT, s, i, 0);
        hash[count - 1] = h;
        return i;
    }

    private static int identEnd(String sql, int i, int n) {
        while (i < n && isIdentPart(sql.charAt(i))) {
            i++;
        }
        return i;
    }

    /**
     * A JDBC placeholder where an operand is expected, else the jsonb {@code ?}, {@code ?|},
     * {@code ?&} operators; {@code ??} is the JDBC escape of the {@code ?} operator.
     */
    private int questionMark(String sql, int i, int n) {
        if (i + 1 < n) {
            char d = sql.charAt(i + 1);
            if (d == '|' || d == '&' || d == '?') {
                add(OP, i, i + 2, '?');
                hash[count - 1] = hashChars(sql, i, i + 2);
                return i + 2;
            }
        }
        if (count == 0 || operandExpectedAfter(count - 1)) {
            add(QMARK, i, i + 1, '?');
        } else {
            add(OP, i, i + 1, '?');
        }
        return i + 1;
    }

    /** True when the token after {@code t} starts an operand (so {@code -}/{@code ?} there are prefix). */
    boolean operandExpectedAfter(int t) {
        if (t < 0) {
            return true;
        }
        switch (type[t]) {
            case OP: case LPAREN: case LBRACK: case COMMA: case SEMI:
                return true;
            case IDENT:
                return Keywords.isReserved(hash[t]) && !Keywords.isValueKeyword(hash[t]);
            default:
                return false;
        }
    }

    private int operator(String sql, int i, int n) {
        int s = i;
        boolean special = false;
        while (i < n && isOpChar(sql.charAt(i))) {
            char c = sql.charAt(i);
            if (i > s && ((c == '-' && sql.charAt(i - 1) == '-') || (c == '*' && sql.charAt(i - 1) == '/'))) {
                i--;
                break;
            }
            if (c == '~' || c == '!' || c == '@' || c == '#' || c == '%' || c == '^' || c == '&' || c == '|' || c == '`') {
                special = true;
            }
            i++;
        }
        if (i - s > 1 && !special) {
            while (i - s > 1 && (sql.charAt(i - 1) == '+' || sql.charAt(i - 1) == '-')) {
                i--;
            }
        }
        if (i == s) {
            i = s + 1;
        }
        add(OP, s, i, 0);
        // PostgreSQL's lexer turns != into <>, so both spell one operator
        hash[count - 1] = i - s == 2 && sql.charAt(s) == '!' && sql.charAt(s + 1) == '='
                ? NOT_EQUALS : hashChars(sql, s, i);
        return i;
    }

    private void add(int t, int s, int e, int h) {
        if (count == type.length) {
            int cap = count * 2;
            type = Arrays.copyOf(type, cap);
            start = Arrays.copyOf(start, cap);
            end = Arrays.copyOf(end, cap);
            hash = Arrays.copyOf(hash, cap);
            match = Arrays.copyOf(match, cap);
            aux = Arrays.copyOf(aux, cap);
        }
        type[count] = t;
        start[count] = s;
        end[count] = e;
        hash[count] = h;
        match[count] = -1;
        aux[count] = 0;
        count++;
    }

    private void addString(int s, int e, int kind) {
        add(STRING, s, e, '\'');
        aux[count - 1] = kind;
    }

    /** The literal's value: a string unquoted (escapes of its kind undone), a number as written. */
    String literalValue(int t) {
        int s = start[t];
        int e = end[t];
        if (type[t] != STRING) {
            return src.substring(s, e);
        }
        if (aux[t] == STR_DOLLAR) {
            int tag = Math.min(dollarTag(t), e - s);
            int bodyEnd = e - s >= 2 * tag ? e - tag : e;
            return src.substring(Math.min(s + tag, bodyEnd), bodyEnd);
        }
        int q = src.indexOf('\'', s);
        if (q < 0 || q >= e) {
            return src.substring(s, e);
        }
        int bodyEnd = e - 1 > q && src.charAt(e - 1) == '\'' ? e - 1 : e;
        boolean escapes = aux[t] == STR_ESCAPE;
        StringBuilder b = new StringBuilder(bodyEnd - q);
        for (int i = q + 1; i < bodyEnd; i++) {
            char c = src.charAt(i);
            if (c == '\'' && i + 1 < bodyEnd && src.charAt(i + 1) == '\'') {
                i++;
            } else if (escapes && c == '\\' && i + 1 < bodyEnd) {
                char d = src.charAt(++i);
                switch (d) {
                    case 'n': c = '\n'; break;
                    case 't': c = '\t'; break;
                    case 'r': c = '\r'; break;
                    case 'b': c = '\b'; break;
                    case 'f': c = '\f'; break;
                    default: c = d; break;
                }
            }
            b.append(c);
        }
        return b.toString();
    }

    private int dollarTag(int t) {
        int s = start[t];
        int j = src.indexOf('$', s + 1);
        return j < 0 ? 1 : j + 1 - s;
    }

    boolean is(int t, long keyword) {
        return t >= 0 && t < count && type[t] == IDENT && hash[t] == keyword;
    }

    boolean isLiteral(int t) {
        int ty = type[t];
        return ty == STRING || ty == NUMBER || ty == PARAM || ty == QMARK || ty == NAMED;
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isHex(char c) {
        return isDigit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
    }

    static boolean isIdentStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
    }

    static boolean isIdentPart(char c) {
        return isIdentStart(c) || isDigit(c) || c == '$';
    }

    private static boolean isTagChar(char c) {
        return isIdentStart(c) || isDigit(c);
    }

    private static boolean isOpChar(char c) {
        switch (c) {
            case '+': case '-': case '*': case '/': case '<': case '>': case '=': case '~': case '!':
            case '@': case '#': case '%': case '^': case '&': case '|': case '`':
                return true;
            default:
                return false;
        }
    }
}
