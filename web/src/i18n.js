// Every string the interface shows, Vietnamese first, English second.
// t('key', a, b) replaces {0}, {1}.
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
		level_none: 'Chưa đánh giá',
		colour_1: 'xanh', colour_2: 'vàng', colour_3: 'cam', colour_4: 'đỏ',
		risk_1: 'Nguy cơ thấp', risk_2: 'Nguy cơ trung bình', risk_3: 'Nguy cơ cao', risk_4: 'Nguy cơ rất cao',
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
		role_admin: 'Quản trị', role_province_officer: 'Cán bộ tỉnh', role_district_officer: 'Cán bộ huyện',
		role_commune_officer: 'Cán bộ xã', role_team_member: 'Tổ COVID cộng đồng',
		role_health_worker: 'Nhân viên y tế', role_citizen: 'Người dân', role_business: 'Doanh nghiệp',
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
		level_none: 'Not assessed',
		colour_1: 'green', colour_2: 'yellow', colour_3: 'orange', colour_4: 'red',
		risk_1: 'Low risk (new normal)', risk_2: 'Medium risk', risk_3: 'High risk', risk_4: 'Very high risk',
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
		role_admin: 'Administrator', role_province_officer: 'Province officer', role_district_officer: 'District officer',
		role_commune_officer: 'Commune officer', role_team_member: 'Community COVID team',
		role_health_worker: 'Health worker', role_citizen: 'Citizen', role_business: 'Business',
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
