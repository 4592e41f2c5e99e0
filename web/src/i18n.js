// Every string the interface shows, Vietnamese first, English second.
// t('key', a, b) replaces {0}, {1}.  Level, colour and role names come from
// the server's own tables (./constants.js, generated at build time).
import { LEVELS, ROLES } from './constants.js';

const S = {
	vi: {
		app: 'Thích ứng an toàn COVID-19',
		skip: 'Bỏ qua, tới nội dung chính',
		nav_map: 'Bản đồ cấp độ',
		nav_dashboard: 'Bảng điều khiển',
		nav_entry: 'Nhập liệu',
		nav_me: 'Thông tin của tôi',
		nav_login: 'Đăng nhập',
		nav_logout: 'Đăng xuất',
		lang_switch: 'English',
		lang_switch_label: 'Switch to English',
		loading: 'Đang tải…',
		no_data: 'chưa có dữ liệu',
		error: 'Lỗi',
		retry: 'Thử lại',
		offline: 'Không kết nối được máy chủ. Kiểm tra mạng và thử lại.',
		level: 'Cấp độ',
		level_n: 'Cấp {0}',
		map_title: 'Cấp độ dịch COVID-19',
		map_country: 'Việt Nam',
		map_date: 'Ngày',
		map_date_hint: 'dd/mm/yyyy',
		map_date_bad: 'Ngày phải có dạng dd/mm/yyyy',
		map_show: 'Xem',
		map_today: 'Hôm nay',
		map_published: 'Các ngày đã công bố:',
		map_legend: 'Chú giải',
		map_counts: 'Số đơn vị theo cấp độ',
		map_units: 'đơn vị',
		map_measures: 'Biện pháp áp dụng ở mỗi cấp độ',
		map_measures_none: 'Chưa có danh sách biện pháp.',
		map_share: 'Đường dẫn chia sẻ',
		map_copy: 'Chép',
		map_copied: 'Đã chép',
		map_aria: 'Bản đồ cấp độ dịch; dùng bảng bên dưới để chọn đơn vị bằng bàn phím',
		map_no_shapes: 'Chưa có ranh giới quận/huyện của {0}; xem bảng bên dưới.',
		map_no_shapes_commune: 'Chưa có ranh giới xã/phường; xem danh sách bên dưới.',
		map_click_hint: 'Chọn một đơn vị trên bản đồ hoặc trong bảng để xem cấp dưới.',
		map_as_of: 'Cấp độ áp dụng ngày {0}',
		map_effective: 'Từ ngày',
		map_up: 'Lên một cấp',
		col_code: 'Mã',
		col_name: 'Tên đơn vị',
		col_level: 'Cấp độ',
		col_from: 'Từ ngày',
		col_week_end: 'Tuần kết thúc',
		col_kind: 'Loại',
		col_by: 'Người thực hiện',
		col_note: 'Giải thích / lý do',
		sort_by: 'Sắp xếp theo {0}',
		kind_assessment: 'đánh giá',
		kind_decision: 'quyết định',
		login_title: 'Đăng nhập',
		username: 'Tên đăng nhập',
		password: 'Mật khẩu',
		login_submit: 'Đăng nhập',
		login_failed: 'Đăng nhập không thành công',
		signed_in_as: 'Đã đăng nhập: {0}',
		me_title: 'Thông tin của tôi',
		me_grants: 'Vai trò và phạm vi',
		me_assignments: 'Đơn vị được phân công theo dõi',
		dash_title: 'Bảng điều khiển',
		dash_unit: 'Đơn vị',
		dash_weekly: 'Số ca mắc mới trên 100.000 dân theo tuần',
		dash_weekly_table: 'Bảng số liệu theo tuần',
		dash_cases: 'ca', dash_per100k: 'ca/100.000 dân', dash_deaths: 'tử vong', dash_oxygen: 'thở ô xy',
		dash_community: 'cộng đồng', dash_population: 'dân số',
		dash_history: 'Lịch sử cấp độ',
		dash_children: 'Các đơn vị trực thuộc',
		dash_isolations: 'Cách ly quá hạn khai báo',
		dash_zones: 'Vùng phong tỏa đang hiệu lực',
		dash_case_list: 'Ca bệnh',
		dash_cases_total: '{0} ca',
		col_case: 'Ca', col_person: 'Họ tên', col_unit: 'Đơn vị', col_detected: 'Ngày phát hiện',
		col_source: 'Nguồn', col_severity: 'Mức độ', col_outcome: 'Kết quả', col_isolation: 'Cách ly',
		col_started: 'Bắt đầu', col_checkins: 'Lần khai báo', col_zone: 'Vùng', col_area: 'Khu vực',
		col_reason: 'Lý do', col_planned_end: 'Dự kiến kết thúc', col_week: 'Tuần',
		src_community: 'cộng đồng', src_quarantine: 'trong khu cách ly', src_imported: 'nhập cảnh',
		sev_asymptomatic: 'không triệu chứng', sev_mild: 'nhẹ', sev_moderate: 'trung bình',
		sev_severe: 'nặng', sev_critical: 'nguy kịch', out_recovered: 'khỏi', out_died: 'tử vong',
		dash_open: 'Xem',
		not_found: 'Không tìm thấy đơn vị {0}, hoặc bạn không có quyền xem.',
		need_login: 'Cần đăng nhập để xem trang này.',
		forbidden: 'Bạn không có quyền dùng trang này.',
		entry_title: 'Nhập liệu',
		entry_case: 'Ca bệnh',
		entry_hamlet: 'Thôn, tổ dân phố',
		entry_household: 'Hộ gia đình',
		entry_indicators: 'Chỉ số tuần',
		entry_assess: 'Đánh giá cấp độ',
		entry_decide: 'Quyết định cấp độ',
		entry_contact: 'Người tiếp xúc (F1/F2)',
		entry_test: 'Kết quả xét nghiệm',
		entry_checkin: 'Theo dõi cách ly',
		entry_zone: 'Khoanh vùng phong tỏa',
		entry_zone_end: 'Kết thúc phong tỏa',
		f_case_id: 'Mã số ca bệnh (F0)', f_degree: 'Mức tiếp xúc', degree_1: 'F1 (tiếp xúc gần với F0)', degree_2: 'F2 (tiếp xúc với F1)',
		f_exposure_on: 'Ngày tiếp xúc', f_setting: 'Nơi tiếp xúc', setting_hint: 'hộ gia đình, nơi làm việc…',
		quarantine_period: 'Cách ly từ {0} đến {1}.', must_be_number: 'Phải là một số',
		f_taken_on: 'Ngày lấy mẫu', f_result: 'Kết quả', result_positive: 'Dương tính', result_negative: 'Âm tính', result_pending: 'Chờ kết quả',
		f_open_case: 'Mở ca bệnh mới (khi dương tính)', case_opened: 'đã mở ca bệnh {0}',
		f_isolation: 'Người đang cách ly', load_isolations: 'Tải danh sách đang cách ly', person_n: 'người số {0}', since: 'từ {0}',
		f_spo2: 'SpO2 (%)', f_temperature: 'Nhiệt độ (°C)', f_symptoms: 'Triệu chứng', f_note: 'Ghi chú',
		spo2_or_temp: 'Cần nhập SpO2 hoặc nhiệt độ',
		none_found: 'Không có mục nào.', found_n: 'Có {0} mục.',
		f_zone_unit: 'Mã đơn vị (xã, thôn hoặc hộ)', f_area_name: 'Tên khu vực (nếu chỉ một phần)', f_zone_reason: 'Lý do phong tỏa',
		f_started_on: 'Ngày bắt đầu', f_planned_end: 'Dự kiến kết thúc',
		f_zone: 'Vùng phong tỏa đang hiệu lực', load_zones: 'Tải danh sách vùng phong tỏa', f_ended_on: 'Ngày kết thúc',
		f_override_reason: 'Lý do kết thúc sớm',
		override_hint: 'Chỉ cần khi kết thúc trước khi đủ số ngày quy định (mặc định 14 ngày) kể từ ca bệnh cuối.',
		zone_ended: 'Đã kết thúc vùng phong tỏa #{0} ngày {1}.', zone_ended_override: '(kết thúc sớm có lý do)',
		submit_contact: 'Ghi người tiếp xúc', submit_test: 'Ghi kết quả xét nghiệm', submit_checkin: 'Ghi theo dõi',
		submit_zone: 'Tạo vùng phong tỏa', submit_zone_end: 'Kết thúc phong tỏa',
		f_full_name: 'Họ và tên', f_id_number: 'Số CCCD/CMND', f_birth_year: 'Năm sinh', f_sex: 'Giới tính',
		sex_male: 'Nam', sex_female: 'Nữ', sex_other: 'Khác',
		f_unit_code: 'Mã đơn vị (xã, thôn hoặc hộ)', f_detected_on: 'Ngày phát hiện',
		f_source: 'Nguồn lây', source_community: 'Cộng đồng', source_quarantine: 'Trong khu cách ly', source_imported: 'Nhập cảnh',
		f_test_type: 'Loại xét nghiệm', test_rt_pcr: 'RT-PCR', test_antigen: 'Test nhanh kháng nguyên',
		f_parent_code: 'Mã đơn vị cấp trên', f_name: 'Tên', f_type: 'Loại', f_address: 'Địa chỉ', f_members: 'Số nhân khẩu',
		f_week_end: 'Ngày cuối tuần', f_population: 'Dân số', f_cases_week: 'Ca mắc cộng đồng trong tuần',
		f_cases_prev_week: 'Ca mắc tuần trước', f_oxygen_cases_week: 'Ca thở ô xy trong tuần', f_deaths_week: 'Tử vong trong tuần',
		f_vax1_18plus_pct: '% người ≥ 18 tuổi tiêm ≥ 1 mũi', f_vaxfull_elderly_pct: '% người cao tuổi tiêm đủ liều',
		f_vaxfull_pct: '% dân số tiêm đủ liều', f_vaxfull_highrisk_pct: '% người nguy cơ cao tiêm đủ liều',
		f_capacity_met: 'Đáp ứng năng lực y tế', f_capacity: 'Năng lực y tế',
		cap_high: 'Cao', cap_medium: 'Trung bình', cap_low: 'Thấp', yes: 'Có', no: 'Không', unknown: '—',
		f_csv: 'Tệp CSV', f_csv_text: 'Hoặc dán nội dung CSV',
		f_unit: 'Mã đơn vị', f_rules: 'Bộ quy tắc (để trống: tự chọn theo ngày)',
		f_level: 'Cấp độ (để trống: giữ kết quả đánh giá)', f_effective_from: 'Áp dụng từ ngày (để trống: ngày hôm sau)',
		f_reason: 'Lý do (bắt buộc khi khác kết quả đánh giá)',
		submit_case: 'Ghi ca bệnh', submit_hamlet: 'Tạo thôn/tổ', submit_household: 'Tạo hộ',
		submit_indicators_form: 'Lưu chỉ số', submit_csv: 'Tải lên CSV', submit_assess: 'Đánh giá', submit_decide: 'Ghi quyết định',
		saved: 'Đã lưu.', created: 'Đã tạo: {0}', stored: 'Đã lưu {0} dòng.',
		fix_errors: 'Vui lòng sửa các lỗi được đánh dấu.',
		required: 'Bắt buộc',
		endpoint_missing: 'Máy chủ này chưa có chức năng này (chưa có dữ liệu).',
		csv_help: 'Cột: unit_code, week_end, population, cases_week, cases_prev_week, oxygen_cases_week, deaths_week, vax1_18plus_pct, vaxfull_elderly_pct, vaxfull_pct, vaxfull_highrisk_pct, capacity_met, capacity.',
		assess_result: 'Kết quả đánh giá',
		public_info: 'Bạn có thể xem bản đồ cấp độ dịch và thông tin của mình.',
	},
	en: {
		app: 'COVID-19 safe adaptation',
		skip: 'Skip to main content',
		nav_map: 'Level map',
		nav_dashboard: 'Dashboard',
		nav_entry: 'Data entry',
		nav_me: 'My information',
		nav_login: 'Sign in',
		nav_logout: 'Sign out',
		lang_switch: 'Tiếng Việt',
		lang_switch_label: 'Chuyển sang tiếng Việt',
		loading: 'Loading…',
		no_data: 'no data',
		error: 'Error',
		retry: 'Retry',
		offline: 'Cannot reach the server. Check the connection and try again.',
		level: 'Level',
		level_n: 'Level {0}',
		map_title: 'COVID-19 epidemic levels',
		map_country: 'Viet Nam',
		map_date: 'Date',
		map_date_hint: 'dd/mm/yyyy',
		map_date_bad: 'The date must be dd/mm/yyyy',
		map_show: 'Show',
		map_today: 'Today',
		map_published: 'Published dates:',
		map_legend: 'Legend',
		map_counts: 'Units per level',
		map_units: 'units',
		map_measures: 'Measures at each level',
		map_measures_none: 'No list of measures yet.',
		map_share: 'Link to share',
		map_copy: 'Copy',
		map_copied: 'Copied',
		map_aria: 'Epidemic level map; use the table below to choose a unit with the keyboard',
		map_no_shapes: 'No district boundaries for {0} yet; see the table below.',
		map_no_shapes_commune: 'No commune boundaries; see the list below.',
		map_click_hint: 'Choose a unit on the map or in the table to see the units below it.',
		map_as_of: 'Levels in force on {0}',
		map_effective: 'Since',
		map_up: 'Up one level',
		col_code: 'Code',
		col_name: 'Unit',
		col_level: 'Level',
		col_from: 'Since',
		col_week_end: 'Week ending',
		col_kind: 'Kind',
		col_by: 'By',
		col_note: 'Explanation / reason',
		sort_by: 'Sort by {0}',
		kind_assessment: 'assessment',
		kind_decision: 'decision',
		login_title: 'Sign in',
		username: 'Username',
		password: 'Password',
		login_submit: 'Sign in',
		login_failed: 'Sign-in failed',
		signed_in_as: 'Signed in: {0}',
		me_title: 'My information',
		me_grants: 'Roles and scope',
		me_assignments: 'Units assigned to me',
		dash_title: 'Dashboard',
		dash_unit: 'Unit',
		dash_weekly: 'New cases per 100,000 population per week',
		dash_weekly_table: 'Weekly figures',
		dash_cases: 'cases', dash_per100k: 'per 100,000', dash_deaths: 'deaths', dash_oxygen: 'on oxygen',
		dash_community: 'community', dash_population: 'population',
		dash_history: 'Level history',
		dash_children: 'Units below',
		dash_isolations: 'Overdue isolation check-ins',
		dash_zones: 'Active lockdown zones',
		dash_case_list: 'Cases',
		dash_cases_total: '{0} cases',
		col_case: 'Case', col_person: 'Name', col_unit: 'Unit', col_detected: 'Detected on',
		col_source: 'Source', col_severity: 'Severity', col_outcome: 'Outcome', col_isolation: 'Isolation',
		col_started: 'Started', col_checkins: 'Check-ins', col_zone: 'Zone', col_area: 'Area',
		col_reason: 'Reason', col_planned_end: 'Planned end', col_week: 'Week',
		src_community: 'community', src_quarantine: 'in quarantine', src_imported: 'imported',
		sev_asymptomatic: 'asymptomatic', sev_mild: 'mild', sev_moderate: 'moderate',
		sev_severe: 'severe', sev_critical: 'critical', out_recovered: 'recovered', out_died: 'died',
		dash_open: 'Open',
		not_found: 'Unit {0} was not found, or you may not see it.',
		need_login: 'Sign in to see this page.',
		forbidden: 'You may not use this page.',
		entry_title: 'Data entry',
		entry_case: 'Case',
		entry_hamlet: 'Hamlet',
		entry_household: 'Household',
		entry_indicators: 'Weekly indicators',
		entry_assess: 'Assess levels',
		entry_decide: 'Decide a level',
		entry_contact: 'Contacts (F1/F2)',
		entry_test: 'Test result',
		entry_checkin: 'Isolation check-in',
		entry_zone: 'Open a lockdown zone',
		entry_zone_end: 'End a lockdown zone',
		f_case_id: 'Case number (F0)', f_degree: 'Degree', degree_1: 'F1 (close contact of the F0)', degree_2: 'F2 (contact of an F1)',
		f_exposure_on: 'Exposed on', f_setting: 'Setting', setting_hint: 'household, workplace…',
		quarantine_period: 'Quarantine from {0} to {1}.', must_be_number: 'Must be a number',
		f_taken_on: 'Sample taken on', f_result: 'Result', result_positive: 'Positive', result_negative: 'Negative', result_pending: 'Pending',
		f_open_case: 'Open a new case (when positive)', case_opened: 'case {0} opened',
		f_isolation: 'Person in isolation', load_isolations: 'Load active isolations', person_n: 'person {0}', since: 'since {0}',
		f_spo2: 'SpO2 (%)', f_temperature: 'Temperature (°C)', f_symptoms: 'Symptoms', f_note: 'Note',
		spo2_or_temp: 'Give SpO2 or the temperature',
		none_found: 'Nothing found.', found_n: '{0} found.',
		f_zone_unit: 'Unit code (commune, hamlet or household)', f_area_name: 'Area name (when only part of it)', f_zone_reason: 'Reason for the lockdown',
		f_started_on: 'Started on', f_planned_end: 'Planned end',
		f_zone: 'Active lockdown zone', load_zones: 'Load the zones', f_ended_on: 'Ended on',
		f_override_reason: 'Reason for ending early',
		override_hint: 'Needed only when ending before the required days (14 by default) since the last case.',
		zone_ended: 'Lockdown zone #{0} ended on {1}.', zone_ended_override: '(ended early with a reason)',
		submit_contact: 'Record the contact', submit_test: 'Record the test result', submit_checkin: 'Record the check-in',
		submit_zone: 'Open the zone', submit_zone_end: 'End the zone',
		f_full_name: 'Full name', f_id_number: 'ID number', f_birth_year: 'Year of birth', f_sex: 'Sex',
		sex_male: 'Male', sex_female: 'Female', sex_other: 'Other',
		f_unit_code: 'Unit code (commune, hamlet or household)', f_detected_on: 'Detected on',
		f_source: 'Source', source_community: 'Community', source_quarantine: 'In quarantine', source_imported: 'Imported',
		f_test_type: 'Test', test_rt_pcr: 'RT-PCR', test_antigen: 'Rapid antigen test',
		f_parent_code: 'Parent unit code', f_name: 'Name', f_type: 'Type', f_address: 'Address', f_members: 'Members',
		f_week_end: 'Week ending', f_population: 'Population', f_cases_week: 'Community cases this week',
		f_cases_prev_week: 'Cases last week', f_oxygen_cases_week: 'Cases on oxygen this week', f_deaths_week: 'Deaths this week',
		f_vax1_18plus_pct: '% aged 18+ with ≥ 1 dose', f_vaxfull_elderly_pct: '% elderly fully vaccinated',
		f_vaxfull_pct: '% population fully vaccinated', f_vaxfull_highrisk_pct: '% high-risk fully vaccinated',
		f_capacity_met: 'Health capacity met', f_capacity: 'Health capacity',
		cap_high: 'High', cap_medium: 'Medium', cap_low: 'Low', yes: 'Yes', no: 'No', unknown: '—',
		f_csv: 'CSV file', f_csv_text: 'Or paste the CSV',
		f_unit: 'Unit code', f_rules: 'Rule set (empty: chosen by date)',
		f_level: 'Level (empty: keep the assessment)', f_effective_from: 'In force from (empty: the next day)',
		f_reason: 'Reason (required when it differs from the assessment)',
		submit_case: 'Record the case', submit_hamlet: 'Create the hamlet', submit_household: 'Create the household',
		submit_indicators_form: 'Save the indicators', submit_csv: 'Upload the CSV', submit_assess: 'Assess', submit_decide: 'Record the decision',
		saved: 'Saved.', created: 'Created: {0}', stored: '{0} rows stored.',
		fix_errors: 'Please correct the marked fields.',
		required: 'Required',
		endpoint_missing: 'This server does not offer this yet (no data).',
		csv_help: 'Columns: unit_code, week_end, population, cases_week, cases_prev_week, oxygen_cases_week, deaths_week, vax1_18plus_pct, vaxfull_elderly_pct, vaxfull_pct, vaxfull_highrisk_pct, capacity_met, capacity.',
		assess_result: 'Assessment result',
		public_info: 'You can see the epidemic level map and your own information.',
	},
};

// Level, colour and role names as the server's tables give them.
for (const lang of ['vi', 'en']) {
	for (const l of LEVELS) {
		if (l.level === 0) {
			S[lang].level_none = l.name[lang];
		} else {
			S[lang]['risk_' + l.level] = l.name[lang];
			S[lang]['colour_' + l.level] = l.colour_name[lang];
		}
	}
	for (const r of ROLES)
		S[lang]['role_' + r.name] = r.title[lang];
}

const KEY = 'thc_lang';
let current = 'vi';
try {
	current = localStorage.getItem(KEY) === 'en' ? 'en' : 'vi';
} catch (e) { /* storage disabled: Vietnamese */ }

export function lang() {
	return current;
}

export function setLang(l) {
	current = l === 'en' ? 'en' : 'vi';
	try {
		localStorage.setItem(KEY, current);
	} catch (e) { /* not remembered */ }
	document.documentElement.lang = current;
}

export function t(key, ...args) {
	let s = S[current][key] ?? S.vi[key] ?? key;
	args.forEach((a, i) => { s = s.replace(`{${i}}`, a); });
	return s;
}

export const HAS_KEY = (key) => key in S.vi;
// Both languages' strings, for tests/web/i18n.mjs.
export const STRINGS = S;

// Dates: ISO (YYYY-MM-DD) inside, dd/mm/yyyy on screen.
export function fmtDate(iso) {
	if (!iso)
		return '';
	const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
	return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

export function parseDate(text) {
	const m = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\s*$/.exec(text || '');
	if (!m)
		return null;
	const d = +m[1], mo = +m[2], y = +m[3];
	const dt = new Date(Date.UTC(y, mo - 1, d));
	if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d)
		return null;
	return `${m[3]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

// Today in Việt Nam (UTC+7, no daylight saving).
export function todayVN() {
	return new Date(Date.now() + 7 * 3600 * 1000).toISOString().slice(0, 10);
}

export function fmtNumber(n, digits = 0) {
	if (n === null || n === undefined || Number.isNaN(n))
		return '—';
	return Number(n).toLocaleString(current === 'vi' ? 'vi-VN' : 'en-GB',
		{ minimumFractionDigits: digits, maximumFractionDigits: digits });
}
