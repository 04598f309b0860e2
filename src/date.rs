//! Calendar dates, as written in profiles and the library (`2027-01-12`).
//!
//! Only what the compass needs: parse, compare, add months, print in words,
//! and tell a working day from a French public holiday or a weekend.
//! No time zones and no clock: every date boussole prints comes from a file.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A day of the proleptic Gregorian calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

impl Date {
    /// Builds a date, or `None` when it does not exist.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        let valid = (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month);
        valid.then_some(Date { year, month, day })
    }

    /// Year, month (1–12) and day (1–31).
    pub fn ymd(self) -> (i32, u8, u8) {
        (self.year, self.month, self.day)
    }

    /// The same day `months` later, clamped to the end of a shorter month.
    pub fn add_months(self, months: u32) -> Date {
        let total = self.year as i64 * 12 + (self.month as i64 - 1) + months as i64;
        let year = (total / 12) as i32;
        let month = (total % 12) as u8 + 1;
        let day = self.day.min(days_in_month(year, month));
        Date { year, month, day }
    }

    /// The day `days` later.
    pub fn add_days(self, days: u32) -> Date {
        Date::from_unix_days(self.unix_days() + i64::from(days))
    }

    /// The number of days from `earlier` to this day (negative when
    /// `earlier` comes after it).
    pub fn days_since(self, earlier: Date) -> i64 {
        self.unix_days() - earlier.unix_days()
    }

    /// The day of the week, Monday 0 to Sunday 6.
    pub fn weekday(self) -> u8 {
        // 1970-01-01 was a Thursday.
        (self.unix_days() + 3).rem_euclid(7) as u8
    }

    /// Easter Sunday of `year` in the Gregorian calendar (the anonymous
    /// algorithm of Meeus, Jones and Butcher).
    pub fn easter(year: i32) -> Date {
        let a = year.rem_euclid(19);
        let (b, c) = (year.div_euclid(100), year.rem_euclid(100));
        let (d, e) = (b / 4, b % 4);
        let f = (b + 8) / 25;
        let g = (b - f + 1) / 3;
        let h = (19 * a + b - d - g + 15) % 30;
        let (i, k) = (c / 4, c % 4);
        let l = (32 + 2 * e + 2 * i - h - k) % 7;
        let m = (a + 11 * h + 22 * l) / 451;
        let month = (h + l - 7 * m + 114) / 31;
        let day = (h + l - 7 * m + 114) % 31 + 1;
        Date {
            year,
            month: month as u8,
            day: day as u8,
        }
    }

    /// Whether the day is a public holiday in France (the eleven days of the
    /// Code du travail, art. L. 3133-1: 1 January, Easter Monday, 1 May,
    /// 8 May, Ascension Day, Whit Monday, 14 July, 15 August, 1 November,
    /// 11 November, 25 December). The days proper to Alsace-Moselle and
    /// overseas departments are not counted.
    pub fn is_french_public_holiday(self) -> bool {
        let fixed = [
            (1, 1),
            (5, 1),
            (5, 8),
            (7, 14),
            (8, 15),
            (11, 1),
            (11, 11),
            (12, 25),
        ];
        if fixed.contains(&(self.month, self.day)) {
            return true;
        }
        let easter = Date::easter(self.year).unix_days();
        [1, 39, 50].contains(&(self.unix_days() - easter))
    }

    /// Whether the day is worked in France: neither a Saturday, a Sunday nor
    /// a public holiday.
    pub fn is_french_working_day(self) -> bool {
        self.weekday() < 5 && !self.is_french_public_holiday()
    }

    /// The day itself when it is worked, otherwise the next working day: a
    /// time limit that would end on a Saturday, a Sunday or a public holiday
    /// ends on the next working day.
    pub fn next_french_working_day(self) -> Date {
        let mut d = self;
        while !d.is_french_working_day() {
            d = d.add_days(1);
        }
        d
    }

    /// Days since 1970-01-01 (negative: before).
    fn unix_days(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let (m, d) = (i64::from(self.month), i64::from(self.day));
        let y = i64::from(self.year) - i64::from(m <= 2);
        let era = y.div_euclid(400);
        let yoe = y.rem_euclid(400);
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date in words: `15 janvier 2027` or `15 January 2027`.
    pub fn in_words(self, lang: crate::text::Lang) -> String {
        const FR: [&str; 12] = [
            "janvier",
            "février",
            "mars",
            "avril",
            "mai",
            "juin",
            "juillet",
            "août",
            "septembre",
            "octobre",
            "novembre",
            "décembre",
        ];
        const EN: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        let i = self.month as usize - 1;
        match lang {
            crate::text::Lang::Fr if self.day == 1 => format!("1er {} {}", FR[i], self.year),
            crate::text::Lang::Fr => format!("{} {} {}", self.day, FR[i], self.year),
            crate::text::Lang::En => format!("{} {} {}", self.day, EN[i], self.year),
        }
    }

    /// The day `days` after 1970-01-01 (negative: before).
    pub fn from_unix_days(days: i64) -> Date {
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// Parses `2027-03-31` or the French `31/03/2027`.
    pub fn parse_loose(s: &str) -> Option<Date> {
        let s = s.trim();
        if let Ok(d) = s.parse() {
            return Some(d);
        }
        let mut parts = s.split('/');
        let (d, m, y) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() || y.len() != 4 {
            return None;
        }
        Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
    }
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// The error of [`Date::from_str`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a date written YYYY-MM-DD")]
pub struct DateError(String);

impl FromStr for Date {
    type Err = DateError;

    /// Parses exactly `YYYY-MM-DD`.
    fn from_str(s: &str) -> Result<Date, DateError> {
        let err = || DateError(s.to_string());
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(err());
        }
        let num = |r: std::ops::Range<usize>| {
            s.get(r)
                .filter(|p| p.bytes().all(|c| c.is_ascii_digit()))
                .and_then(|p| p.parse::<i32>().ok())
        };
        let (y, m, d) = (num(0..4), num(5..7), num(8..10));
        match (y, m, d) {
            (Some(y), Some(m), Some(d)) => Date::new(y, m as u8, d as u8).ok_or_else(err),
            _ => Err(err()),
        }
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    /// Accepts a TOML date (`2027-01-12`) or a string holding one.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Repr {
            Toml(toml::value::Datetime),
            Text(String),
        }
        let text = match Repr::deserialize(d)? {
            Repr::Toml(dt) => {
                if dt.time.is_some() || dt.offset.is_some() {
                    return Err(serde::de::Error::custom(format!(
                        "`{dt}` has a time; give a date only, YYYY-MM-DD"
                    )));
                }
                dt.to_string()
            }
            Repr::Text(s) => s,
        };
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl schemars::JsonSchema for Date {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "string", "format": "date" })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Lang;

    #[test]
    fn days_later_cross_months_years_and_leap_days() {
        let d = |s: &str| s.parse::<Date>().unwrap();
        assert_eq!(d("2027-01-04").add_days(10), d("2027-01-14"));
        assert_eq!(d("2026-12-25").add_days(10), d("2027-01-04"));
        assert_eq!(d("2028-02-25").add_days(5), d("2028-03-01"));
        assert_eq!(d("1969-12-31").add_days(1), d("1970-01-01"));
        assert_eq!(
            Date::from_unix_days(d("2026-12-03").unix_days()),
            d("2026-12-03")
        );
    }

    #[test]
    fn knows_the_day_of_the_week() {
        let d = |s: &str| s.parse::<Date>().unwrap();
        assert_eq!(d("1970-01-01").weekday(), 3); // a Thursday
        assert_eq!(d("2026-12-03").weekday(), 3);
        assert_eq!(d("2027-01-02").weekday(), 5);
        assert_eq!(d("2000-02-29").weekday(), 1);
    }

    #[test]
    fn finds_easter_as_published_for_known_years() {
        let cases = [
            (1818, "1818-03-22"),
            (1943, "1943-04-25"),
            (2019, "2019-04-21"),
            (2024, "2024-03-31"),
            (2025, "2025-04-20"),
            (2026, "2026-04-05"),
            (2027, "2027-03-28"),
            (2028, "2028-04-16"),
            (2038, "2038-04-25"),
        ];
        for (year, day) in cases {
            assert_eq!(Date::easter(year).to_string(), day, "{year}");
        }
    }

    #[test]
    fn knows_the_french_public_holidays_of_2027() {
        let holidays: Vec<String> = (0..365)
            .map(|n| Date::new(2027, 1, 1).unwrap().add_days(n))
            .filter(|d| d.is_french_public_holiday())
            .map(|d| d.to_string())
            .collect();
        assert_eq!(
            holidays,
            [
                "2027-01-01",
                "2027-03-29",
                "2027-05-01",
                "2027-05-06",
                "2027-05-08",
                "2027-05-17",
                "2027-07-14",
                "2027-08-15",
                "2027-11-01",
                "2027-11-11",
                "2027-12-25"
            ]
        );
    }

    #[test]
    fn a_time_limit_ending_on_a_day_off_moves_to_the_next_working_day() {
        let d = |s: &str| s.parse::<Date>().unwrap();
        // a Thursday stays
        assert_eq!(d("2026-12-10").next_french_working_day(), d("2026-12-10"));
        // Saturday 12 December 2026 → Monday 14
        assert_eq!(d("2026-12-12").next_french_working_day(), d("2026-12-14"));
        // Friday 25 December 2026, then the weekend → Monday 28
        assert_eq!(d("2026-12-25").next_french_working_day(), d("2026-12-28"));
        // Easter Sunday and Monday 2026 → Tuesday 7 April
        assert_eq!(d("2026-04-05").next_french_working_day(), d("2026-04-07"));
        // Ascension Thursday 2026 (14 May) → Friday 15
        assert_eq!(d("2026-05-14").next_french_working_day(), d("2026-05-15"));
        // Whit Monday 2028 (5 June) → Tuesday 6
        assert_eq!(d("2028-06-05").next_french_working_day(), d("2028-06-06"));
    }

    #[test]
    fn parses_iso_and_french_forms() {
        assert_eq!("2027-01-12".parse::<Date>().unwrap().ymd(), (2027, 1, 12));
        assert_eq!(Date::parse_loose("31/03/2027"), Date::new(2027, 3, 31));
        assert!("2027-02-30".parse::<Date>().is_err());
        assert!("2027-1-12".parse::<Date>().is_err());
        assert!(Date::parse_loose("12/01/27").is_none());
    }

    #[test]
    fn adds_months_clamping_to_month_end() {
        let d = Date::new(2027, 1, 31).unwrap();
        assert_eq!(d.add_months(1), Date::new(2027, 2, 28).unwrap());
        assert_eq!(d.add_months(48), Date::new(2031, 1, 31).unwrap());
        assert_eq!(
            Date::new(2027, 11, 15).unwrap().add_months(2).to_string(),
            "2028-01-15"
        );
    }

    #[test]
    fn counts_days_from_the_unix_epoch() {
        assert_eq!(Date::from_unix_days(0).to_string(), "1970-01-01");
        assert_eq!(Date::from_unix_days(20_000).to_string(), "2024-10-04");
        assert_eq!(Date::from_unix_days(-1).to_string(), "1969-12-31");
    }

    #[test]
    fn prints_in_words() {
        let d = Date::new(2027, 4, 1).unwrap();
        assert_eq!(d.in_words(Lang::Fr), "1er avril 2027");
        assert_eq!(d.in_words(Lang::En), "1 April 2027");
    }

    #[test]
    fn reads_toml_dates_and_strings() {
        #[derive(Deserialize)]
        struct T {
            a: Date,
            b: Date,
        }
        let t: T = toml::from_str("a = 2027-01-12\nb = \"2027-02-01\"").unwrap();
        assert_eq!(
            (t.a.to_string(), t.b.to_string()),
            ("2027-01-12".into(), "2027-02-01".into())
        );
        assert!(toml::from_str::<T>("a = 2027-01-12T10:00:00\nb = 2027-01-01").is_err());
    }
}
