//! Provincial rule variants, read from a small TOML file given with `--profile`. The national
//! rules (财预〔2020〕10号) are the default; a file names only what differs. Keys may be written
//! in English or Chinese, and shares as fractions (0.5) or percentages (50):
//!
//! ```toml
//! 名称 = "湖北"
//! 部分达成下限 = 50      # qualitative 部分达成 band starts at 50% of the weight (national: 60)
//! 达成下限 = 80          # 达成 band starts at 80% (national: 80)
//! 远超目标阈值 = 150     # full marks at ≥150% of target draw a warning (national: 150)
//! ```

use std::path::Path;

use rust_decimal::Decimal;
use serde::Deserialize;

use crate::num::dec_from_f64;
use crate::rules::Profile;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProfileFile {
    #[serde(alias = "名称")]
    name: Option<String>,
    #[serde(alias = "达成下限")]
    band_achieved: Option<f64>,
    #[serde(alias = "部分达成下限")]
    band_partial: Option<f64>,
    #[serde(alias = "远超目标阈值")]
    far_above_target: Option<f64>,
}

/// A share written as 0.5 or 50 (percent).
fn share(v: f64, percent_above: f64) -> Option<Decimal> {
    let d = dec_from_f64(v)?;
    Some(if v > percent_above {
        d / Decimal::ONE_HUNDRED
    } else {
        d
    })
}

/// Parses a profile file's text; the message says what is wrong, in Chinese.
pub fn parse(text: &str) -> Result<Profile, String> {
    let file: ProfileFile =
        toml::from_str(text).map_err(|e| format!("格式错误：{}", e.message()))?;
    let mut p = Profile::default();
    if let Some(name) = file.name {
        p.name = name;
    }
    let bad = |what: &str| format!("{what}的值无效");
    if let Some(v) = file.band_achieved {
        p.band_achieved = share(v, 1.0).ok_or_else(|| bad("达成下限"))?;
    }
    if let Some(v) = file.band_partial {
        p.band_partial = share(v, 1.0).ok_or_else(|| bad("部分达成下限"))?;
    }
    if let Some(v) = file.far_above_target {
        p.far_above_target = share(v, 10.0).ok_or_else(|| bad("远超目标阈值"))?;
    }
    if !(Decimal::ZERO <= p.band_partial
        && p.band_partial <= p.band_achieved
        && p.band_achieved <= Decimal::ONE)
    {
        return Err("应满足 0 ≤ 部分达成下限 ≤ 达成下限 ≤ 100%".into());
    }
    if p.far_above_target <= Decimal::ONE {
        return Err("远超目标阈值应大于 100%".into());
    }
    Ok(p)
}

/// Reads a profile file.
pub fn load(path: &Path) -> Result<Profile, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("无法读取规则配置文件 {}：{e}", path.display()))?;
    parse(&text).map_err(|e| format!("规则配置文件 {} {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hubei_in_chinese_keys() {
        let p = parse("\"名称\" = \"湖北\"\n\"部分达成下限\" = 50\n").unwrap();
        assert_eq!(p.name, "湖北");
        assert_eq!(p.band_partial, Decimal::new(5, 1));
        assert_eq!(p.band_achieved, Decimal::new(8, 1));
        assert_eq!(p.far_above_target, Decimal::new(15, 1));
    }

    #[test]
    fn english_keys_and_fractions() {
        let p = parse("band_partial = 0.5\nfar_above_target = 2\n").unwrap();
        assert_eq!(p.band_partial, Decimal::new(5, 1));
        assert_eq!(p.far_above_target, Decimal::new(2, 0));
        assert_eq!(
            parse("far_above_target = 200").unwrap().far_above_target,
            Decimal::new(2, 0)
        );
    }

    #[test]
    fn bad_files_are_refused_with_a_reason() {
        assert!(
            parse("\"部分达成下限\" = 90")
                .unwrap_err()
                .contains("部分达成下限 ≤ 达成下限")
        );
        assert!(
            parse("\"远超目标阈值\" = 1")
                .unwrap_err()
                .contains("大于 100%")
        );
        assert!(parse("unknown = 1").unwrap_err().contains("格式错误"));
        assert!(
            parse("\"部分达成下限\" = \"五十\"")
                .unwrap_err()
                .contains("格式错误")
        );
    }
}
