/*
 * text: UTF-8 validation (every class of malformed input) and search
 * folding of real Vietnamese administrative names, in NFC and NFD.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/text.h"

static void check_fold(const char *in, const char *want)
{
	char out[256];
	size_t n = text_fold(in, out, sizeof(out));

	if (strcmp(out, want) != 0)
		fail_msg("fold(\"%s\") = \"%s\", want \"%s\"", in, out, want);
	assert_int_equal(n, strlen(want));
}

static int valid(const char *s)
{
	return text_utf8_valid(s, strlen(s));
}

static void test_utf8_valid_good(void **state)
{
	(void)state;
	assert_true(text_utf8_valid("", 0));
	assert_true(text_utf8_valid(NULL, 0));
	assert_true(valid("Hà Nội"));
	assert_true(valid("ĐẮK LẮK"));
	assert_true(valid("\x7f"));
	assert_true(valid("\xc2\x80"));                 /* U+0080, smallest 2-byte */
	assert_true(valid("\xdf\xbf"));                 /* U+07FF */
	assert_true(valid("\xe0\xa0\x80"));             /* U+0800, smallest 3-byte */
	assert_true(valid("\xed\x9f\xbf"));             /* U+D7FF, before surrogates */
	assert_true(valid("\xee\x80\x80"));             /* U+E000, after surrogates */
	assert_true(valid("\xef\xbf\xbf"));             /* U+FFFF */
	assert_true(valid("\xef\xbb\xbf"));             /* BOM is a valid character */
	assert_true(valid("\xf0\x90\x80\x80"));         /* U+10000 */
	assert_true(valid("\xf4\x8f\xbf\xbf"));         /* U+10FFFF, the last */
	assert_true(valid("😷 covid"));
	/* Only len bytes are looked at. */
	assert_true(text_utf8_valid("ab\xff", 2));
}

static void test_utf8_valid_bad(void **state)
{
	static const struct { const char *s; size_t len; const char *why; } bad[] = {
		{ "\x00", 1, "NUL" },
		{ "a\x00" "b", 3, "embedded NUL" },
		{ "\x80", 1, "lone continuation" },
		{ "\xbf", 1, "lone continuation" },
		{ "\xc0\x80", 2, "overlong NUL" },
		{ "\xc0\xaf", 2, "overlong /" },
		{ "\xc1\xbf", 2, "overlong 2-byte" },
		{ "\xe0\x80\xaf", 3, "overlong 3-byte" },
		{ "\xe0\x9f\xbf", 3, "overlong U+07FF" },
		{ "\xf0\x80\x80\xaf", 4, "overlong 4-byte" },
		{ "\xf0\x8f\xbf\xbf", 4, "overlong U+FFFF" },
		{ "\xed\xa0\x80", 3, "surrogate U+D800" },
		{ "\xed\xbf\xbf", 3, "surrogate U+DFFF" },
		{ "\xed\xa0\xbd\xed\xb8\xb7", 6, "CESU-8 pair" },
		{ "\xf4\x90\x80\x80", 4, "U+110000" },
		{ "\xf5\x80\x80\x80", 4, "F5 lead" },
		{ "\xf8\x88\x80\x80\x80", 5, "5-byte form" },
		{ "\xfe", 1, "FE" },
		{ "\xff", 1, "FF" },
		{ "\xc3", 1, "truncated 2-byte" },
		{ "\xe1\xba", 2, "truncated 3-byte" },
		{ "\xf0\x9f\x98", 3, "truncated 4-byte" },
		{ "\xe1\xba" "a", 3, "continuation missing" },
		{ "\xc3\xc3\xa0", 3, "lead then lead" },
		{ "H\xe0 N\xf4i", 6, "Latin-1, not UTF-8" },
		{ "Nội\xe1", 6, "truncated at end" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (text_utf8_valid(bad[i].s, bad[i].len))
			fail_msg("accepted %s", bad[i].why);
	}
}

/* Every code point: valid exactly when it is a scalar value, and the
 * encoder in this test agrees with the validator. */
static void test_utf8_all_code_points(void **state)
{
	(void)state;
	for (uint32_t cp = 1; cp <= 0x10FFFF; cp++) {
		unsigned char b[4];
		size_t n;

		if (cp < 0x80) {
			b[0] = (unsigned char)cp;
			n = 1;
		} else if (cp < 0x800) {
			b[0] = (unsigned char)(0xC0 | cp >> 6);
			b[1] = (unsigned char)(0x80 | (cp & 0x3F));
			n = 2;
		} else if (cp < 0x10000) {
			b[0] = (unsigned char)(0xE0 | cp >> 12);
			b[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
			b[2] = (unsigned char)(0x80 | (cp & 0x3F));
			n = 3;
		} else {
			b[0] = (unsigned char)(0xF0 | cp >> 18);
			b[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
			b[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
			b[3] = (unsigned char)(0x80 | (cp & 0x3F));
			n = 4;
		}
		if (text_utf8_valid((const char *)b, n) != !(cp >= 0xD800 && cp <= 0xDFFF))
			fail_msg("U+%04X", (unsigned)cp);
		/* Any proper prefix of a multi-byte sequence is truncated. */
		if (n > 1 && text_utf8_valid((const char *)b, n - 1))
			fail_msg("prefix of U+%04X", (unsigned)cp);
	}
}

static void test_fold_examples(void **state)
{
	(void)state;
	check_fold("Thành phố Hà Nội", "thanh pho ha noi");
	check_fold("Phường Phúc Xá", "phuong phuc xa");
	check_fold("ĐẮK LẮK", "dak lak");
	check_fold("Huyện Mù Cang Chải", "huyen mu cang chai");
	check_fold("Hòa", "hoa");
	check_fold("Hoà", "hoa");
	check_fold("Ha\xcc\x80 No\xcc\xa3\xcc\x82i", "ha noi");   /* NFD */
	check_fold("  Quận   1 , ", "quan 1");
	check_fold("Thành phố Hồ Chí Minh", "thanh pho ho chi minh");
	check_fold("Tỉnh Bà Rịa - Vũng Tàu", "tinh ba ria vung tau");
	check_fold("Thừa Thiên Huế", "thua thien hue");
	check_fold("Đắk Nông", "dak nong");
	check_fold("Xã Ea H'leo", "xa ea h leo");
	check_fold("Phường Thượng Đình", "phuong thuong dinh");
	check_fold("Quảng Ngãi", "quang ngai");
	check_fold("Thị xã Sơn Tây", "thi xa son tay");
	check_fold("Khánh Hòa", "khanh hoa");
	check_fold("Khánh Hoà", "khanh hoa");
	check_fold("ỨNG HÒA", "ung hoa");
	check_fold("Yên Bái", "yen bai");
	check_fold("Mỹ Tho", "my tho");
	check_fold("Kỳ Anh", "ky anh");
	check_fold("", "");
	check_fold("   ", "");
	check_fold("...!!!", "");
	check_fold("a\t\r\nb", "a b");
	check_fold("F0/F1-F2", "f0 f1 f2");
}

/* Every accented vowel of Vietnamese, upper and lower case, in NFC and NFD
 * (the NFD forms are the base letter plus combining marks). */
static void test_fold_all_vietnamese_letters(void **state)
{
	static const struct { const char *letters; const char *base; } groups[] = {
		{ "aàáảãạăằắẳẵặâầấẩẫậAÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬ", "a" },
		{ "eèéẻẽẹêềếểễệEÈÉẺẼẸÊỀẾỂỄỆ", "e" },
		{ "iìíỉĩịIÌÍỈĨỊ", "i" },
		{ "oòóỏõọôồốổỗộơờớởỡợOÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢ", "o" },
		{ "uùúủũụưừứửữựUÙÚỦŨỤƯỪỨỬỮỰ", "u" },
		{ "yỳýỷỹỵYỲÝỶỸỴ", "y" },
		{ "dđDĐ", "d" },
	};
	/* Combining grave, acute, hook above, tilde, dot below, breve,
	 * circumflex, horn. */
	static const char *const marks[] = {
		"\xcc\x80", "\xcc\x81", "\xcc\x89", "\xcc\x83", "\xcc\xa3",
		"\xcc\x86", "\xcc\x82", "\xcc\x9b",
	};

	(void)state;
	for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
		char out[512], want[512];
		size_t n = 0;
		const char *p = groups[g].letters;

		/* Count code points: each folds to one base letter. */
		for (; *p; p++)
			if (((unsigned char)*p & 0xC0) != 0x80)
				want[n++] = groups[g].base[0];
		want[n] = '\0';
		text_fold(groups[g].letters, out, sizeof(out));
		assert_string_equal(out, want);
	}
	for (const char *b = "aeiouyAEIOUY"; *b; b++) {
		for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++) {
			for (size_t j = 0; j < sizeof(marks) / sizeof(marks[0]); j++) {
				char in[16], out[16], want[2] = { 0, 0 };

				snprintf(in, sizeof(in), "%c%s%s", *b, marks[i], marks[j]);
				want[0] = (char)(*b | 0x20);
				text_fold(in, out, sizeof(out));
				assert_string_equal(out, want);
			}
		}
	}
}

static void test_fold_other_latin_and_symbols(void **state)
{
	(void)state;
	check_fold("Ñandú Çà", "nandu ca");
	check_fold("Øresund Łódź", "oresund lodz");
	check_fold("ÀÉÎÕÜ", "aeiou");
	check_fold("×÷", "×÷");                     /* not letters: kept */
	check_fold("Hà Nội", "ha noi");
	check_fold("Hà\xc2\xa0Nội", "ha noi");      /* no-break space */
	check_fold("“Hà Nội” – 2021", "ha noi 2021");
	check_fold("Hà\xe2\x80\x8bNội", "hanoi");   /* zero-width space is invisible */
	check_fold("\xef\xbb\xbfHà", "ha");         /* BOM */
	check_fold("北京 Москва", "北京 Москва");   /* other scripts kept as is */
	check_fold("Covid-19 😷", "covid 19 😷");
}

static void test_fold_invalid_utf8(void **state)
{
	(void)state;
	check_fold("H\xe0 N\xf4i", "h ni");          /* Latin-1 bytes dropped */
	check_fold("a\xff" "b", "ab");
	check_fold("\xc0\xaf" "x", "x");            /* overlong dropped */
	check_fold("\xed\xa0\x80" "x", "x");        /* surrogate dropped */
	check_fold("x\xe1\xba", "x");               /* truncated at end */
	check_fold("\xe1\xba" "a", "a");
}

static void test_fold_output_size(void **state)
{
	char out[8];
	char big[64];

	(void)state;
	memset(out, 'Z', sizeof(out));
	assert_int_equal(text_fold("thanh pho", out, sizeof(out)), 7);
	assert_string_equal(out, "thanh p");
	/* Room for "thanh " but not the next letter: no trailing space. */
	assert_int_equal(text_fold("thanh pho", out, 7), 5);
	assert_string_equal(out, "thanh");
	assert_int_equal(text_fold("abcdefghij", out, sizeof(out)), 7);
	assert_string_equal(out, "abcdefg");
	assert_int_equal(text_fold("ab 北京", out, 6), 2);   /* no half character */
	assert_string_equal(out, "ab");
	assert_int_equal(text_fold("ab 北京", out, 7), 6);
	assert_string_equal(out, "ab 北");
	assert_int_equal(text_fold("Hà Nội", out, 1), 0);
	assert_string_equal(out, "");
	memset(out, 'Z', sizeof(out));
	assert_int_equal(text_fold("Hà Nội", out, 0), 0);
	assert_int_equal(out[0], 'Z');                       /* nothing written */
	assert_int_equal(text_fold(NULL, out, sizeof(out)), 0);
	assert_string_equal(out, "");
	/* Folding never grows ASCII and accented letters shrink. */
	assert_int_equal(text_fold("Thành phố Hà Nội", big, sizeof(big)), 16);
}

/* Folding is idempotent, which is what makes a stored folded column
 * comparable with a folded query. */
static void test_fold_idempotent(void **state)
{
	static const char *const in[] = {
		"Thành phố Hà Nội", "  Quận   1 , ", "ĐẮK LẮK", "北京 Москва",
		"Ha\xcc\x80 No\xcc\xa3\xcc\x82i", "a\377b", "“x” – y",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		char a[128], b[128];

		text_fold(in[i], a, sizeof(a));
		text_fold(a, b, sizeof(b));
		assert_string_equal(a, b);
	}
}

static void test_trim(void **state)
{
	char a[] = "  \t Hà Nội \r\n";
	char b[] = "x";
	char c[] = " \t\n\v\f\r";
	char d[] = "";
	char e[] = "a b";
	char f[] = "\xc2\xa0x\xc2\xa0";    /* NBSP is not ASCII white space */

	(void)state;
	assert_ptr_equal(text_trim(a), a);
	assert_string_equal(a, "Hà Nội");
	assert_string_equal(text_trim(b), "x");
	assert_string_equal(text_trim(c), "");
	assert_string_equal(text_trim(d), "");
	assert_string_equal(text_trim(e), "a b");
	assert_string_equal(text_trim(f), "\xc2\xa0x\xc2\xa0");
	assert_null(text_trim(NULL));
}

static void test_copy_and_fmt(void **state)
{
	char b4[4], b1[1];

	(void)state;
	assert_int_equal(text_copy(b4, sizeof(b4), "abc"), 0);
	assert_string_equal(b4, "abc");
	assert_int_equal(text_copy(b4, sizeof(b4), "abcd"), -1);
	assert_string_equal(b4, "abc");            /* terminated, flagged */
	assert_int_equal(text_copy(b4, sizeof(b4), NULL), 0);
	assert_string_equal(b4, "");
	assert_int_equal(text_copy(b1, sizeof(b1), ""), 0);
	assert_int_equal(text_copy(b1, sizeof(b1), "x"), -1);
	assert_string_equal(b1, "");
	assert_int_equal(text_copy(b4, 0, "x"), -1);

	assert_int_equal(text_fmt(b4, sizeof(b4), "%d", 999), 0);
	assert_string_equal(b4, "999");
	assert_int_equal(text_fmt(b4, sizeof(b4), "%d", 1000), -1);
	assert_string_equal(b4, "100");
	assert_int_equal(text_fmt(b4, sizeof(b4), "%s/", "ab"), 0);
	assert_int_equal(text_fmt(b4, 0, "x"), -1);
}

/* What the writer wrote before text_tenths: "%lld.%lld" of the tenths. */
static void check_tenths(double v, const char *want)
{
	char out[TEXT_TENTHS_MAX], ref[TEXT_TENTHS_MAX];
	size_t n = text_tenths(out, v);

	if (strcmp(out, want) != 0)
		fail_msg("tenths(%.17g) = \"%s\", want \"%s\"", v, out, want);
	assert_int_equal(n, strlen(want));
	if (v >= 0) {
		long long t = llround(v * 10);

		snprintf(ref, sizeof(ref), "%lld.%lld", t / 10, t % 10);
		assert_string_equal(out, ref);
	}
}

static void test_tenths(void **state)
{
	(void)state;
	check_tenths(0, "0.0");
	check_tenths(-0.0, "0.0");
	check_tenths(0.04, "0.0");
	check_tenths(0.05, "0.1");           /* halves away from zero */
	check_tenths(0.25, "0.3");
	check_tenths(2.45, "2.5");           /* 24.5 after the scaling */
	check_tenths(57.5, "57.5");
	check_tenths(99.95, "100.0");
	check_tenths(503.34, "503.3");
	check_tenths(1234567.89, "1234567.9"); /* no grouping */
	check_tenths(9.2e17, "920000000000000000.0");
	check_tenths(-1.5, "-1.5");
	check_tenths(-0.05, "-0.1");
	check_tenths(-0.04, "0.0");
	check_tenths(-123.45, "-123.5");
	/* Every tenth and half-tenth up to 2,000, as snprintf wrote them. */
	for (int i = 0; i < 40000; i++) {
		char want[TEXT_TENTHS_MAX];
		double v = i / 20.0;
		long long t = llround(v * 10);

		snprintf(want, sizeof(want), "%lld.%lld", t / 10, t % 10);
		check_tenths(v, want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_valid_good),
		cmocka_unit_test(test_utf8_valid_bad),
		cmocka_unit_test(test_utf8_all_code_points),
		cmocka_unit_test(test_fold_examples),
		cmocka_unit_test(test_fold_all_vietnamese_letters),
		cmocka_unit_test(test_fold_other_latin_and_symbols),
		cmocka_unit_test(test_fold_invalid_utf8),
		cmocka_unit_test(test_fold_output_size),
		cmocka_unit_test(test_fold_idempotent),
		cmocka_unit_test(test_trim),
		cmocka_unit_test(test_copy_and_fmt),
		cmocka_unit_test(test_tenths),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
