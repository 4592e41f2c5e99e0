/* Pure domain logic: unit codes and levels, roles. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "domain/role.h"
#include "domain/unit.h"

static void test_code_levels(void **state)
{
	struct error e = ERROR_INIT;

	(void)state;
	assert_int_equal(unit_code_level("VN"), UNIT_COUNTRY);
	assert_int_equal(unit_code_level("01"), UNIT_PROVINCE);
	assert_int_equal(unit_code_level("001"), UNIT_DISTRICT);
	assert_int_equal(unit_code_level("00001"), UNIT_COMMUNE);
	assert_int_equal(unit_code_level("00001-001"), UNIT_HAMLET);
	assert_int_equal(unit_code_level("00001-001-0001"), UNIT_HOUSEHOLD);
	assert_int_equal(unit_code_level("0001"), -1);
	assert_int_equal(unit_code_level("0a"), -1);
	assert_int_equal(unit_code_level("00001-01"), -1);
	assert_int_equal(unit_code_level(""), -1);
	assert_int_equal(unit_code_level(NULL), -1);
	assert_int_equal(unit_code_check("001", UNIT_PROVINCE, &e), THC_EINVAL);
	assert_non_null(strstr(e.en, "2 digits"));
	assert_non_null(strstr(e.vi, "2 chữ số"));
	assert_null(strstr(e.vi, "digits"));
}

static void test_child_codes(void **state)
{
	struct error e = ERROR_INIT;
	char out[32];

	(void)state;
	assert_int_equal(unit_child_code("00001", UNIT_HAMLET, 1, out, sizeof(out), &e), 0);
	assert_string_equal(out, "00001-001");
	assert_int_equal(unit_child_code("00001-012", UNIT_HOUSEHOLD, 345, out, sizeof(out), &e), 0);
	assert_string_equal(out, "00001-012-0345");
	assert_int_equal(unit_child_code("00001", UNIT_HAMLET, 1000, out, sizeof(out), &e),
	                 THC_ECONFLICT);
	assert_int_equal(unit_child_code("001", UNIT_HAMLET, 1, out, sizeof(out), &e),
	                 THC_EUNPROCESSABLE);
	assert_int_equal(unit_child_code("00001", UNIT_HOUSEHOLD, 1, out, sizeof(out), &e),
	                 THC_EUNPROCESSABLE);
	assert_int_equal(unit_child_path("/01/001/", "00001", out, sizeof(out)), 0);
	assert_string_equal(out, "/01/001/00001/");
	assert_int_equal(unit_child_path("/01/001/", "00001", out, 8), THC_ETOOBIG);
	/* The one path parser: the n-th code, shorter paths, and no cut code. */
	assert_int_equal(unit_path_code("/01/001/00001/00001-001/", 1, out, sizeof(out)), 0);
	assert_string_equal(out, "01");
	assert_int_equal(unit_path_code("/01/001/00001/00001-001/", 3, out, sizeof(out)), 0);
	assert_string_equal(out, "00001");
	assert_int_equal(unit_path_code("/01/001/", 3, out, sizeof(out)), 1);
	assert_string_equal(out, "");
	assert_int_equal(unit_path_code("/", 1, out, sizeof(out)), 1);
	assert_int_equal(unit_path_code("/01/001/00001/", 3, out, 5), -1);
	assert_string_equal(out, "");
	assert_int_equal(unit_path_code("/01//00001/", 2, out, sizeof(out)), -1);
	assert_int_equal(unit_path_code("01/001/", 1, out, sizeof(out)), -1);
	assert_int_equal(unit_path_code(NULL, 1, out, sizeof(out)), -1);
}

static void test_hamlet_types_and_names(void **state)
{
	struct error e = ERROR_INIT;
	int i;

	(void)state;
	i = unit_hamlet_type_check("tổ dân phố", &e);
	assert_true(i >= 0);
	assert_string_equal(unit_hamlet_type_name(i), "tổ dân phố");
	i = unit_hamlet_type_check("To Dan Pho", &e);
	assert_true(i >= 0);
	assert_string_equal(unit_hamlet_type_name(i), "tổ dân phố");
	assert_string_equal(unit_hamlet_type_name(unit_hamlet_type_check("ấp", &e)), "ấp");
	assert_int_equal(unit_hamlet_type_check("phường", &e), THC_EUNPROCESSABLE);
	assert_non_null(strstr(e.en, "'type'"));
	assert_int_equal(unit_name_check("Thôn 1", &e), 0);
	assert_int_equal(unit_name_check("   ", &e), THC_EUNPROCESSABLE);
	assert_int_equal(unit_name_check(NULL, &e), THC_EUNPROCESSABLE);
	assert_int_equal(unit_name_check("\xff\xfe", &e), THC_EUNPROCESSABLE);
	assert_non_null(strstr(e.en, "UTF-8"));
}

static void test_roles(void **state)
{
	struct error e = ERROR_INIT;
	char names[256];

	(void)state;
	assert_int_equal(role_from_name("commune_officer"), ROLE_COMMUNE_OFFICER);
	assert_int_equal(role_from_name("team_member"), ROLE_TEAM_MEMBER);
	assert_int_equal(role_from_name("mayor"), -1);
	assert_string_equal(role_name(ROLE_BUSINESS), "business");
	assert_int_equal(role_check_scope_level(ROLE_COMMUNE_OFFICER, UNIT_COMMUNE, &e), 0);
	assert_int_equal(role_check_scope_level(ROLE_COMMUNE_OFFICER, UNIT_PROVINCE, &e),
	                 THC_EUNPROCESSABLE);
	assert_int_equal(role_check_scope_level(ROLE_ADMIN, UNIT_COUNTRY, &e), 0);
	assert_int_equal(role_check_scope_level(ROLE_TEAM_MEMBER, UNIT_HAMLET, &e), 0);
	assert_int_equal(role_check_scope_level(ROLE_PROVINCE_OFFICER, UNIT_COUNTRY, &e),
	                 THC_EUNPROCESSABLE);
	role_mask_names(ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_CITIZEN), names, sizeof(names));
	assert_string_equal(names, "admin,citizen");
	role_mask_names(0, names, sizeof(names));
	assert_string_equal(names, "");
	/* Tỉnh nắm xã, huyện nắm ấp, xã nắm hộ. */
	assert_int_equal(role_supervised_level(ROLE_PROVINCE_OFFICER), UNIT_COMMUNE);
	assert_int_equal(role_supervised_level(ROLE_DISTRICT_OFFICER), UNIT_HAMLET);
	assert_int_equal(role_supervised_level(ROLE_COMMUNE_OFFICER), UNIT_HOUSEHOLD);
	assert_int_equal(role_supervised_level(ROLE_CITIZEN), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_code_levels),
		cmocka_unit_test(test_child_codes),
		cmocka_unit_test(test_hamlet_types_and_names),
		cmocka_unit_test(test_roles),
	};
	return cmocka_run_group_tests_name("domain", tests, NULL, NULL);
}
