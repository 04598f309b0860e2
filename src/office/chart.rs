//! Charts as PNG pictures, for DOCX documents (workbooks have native charts
//! instead): radar and bars for the comparison, lines for the follow-up.
//!
//! Drawn with plotters into an RGB buffer and encoded with `png`: no system
//! font, no image crate. The font is DejaVu Sans, embedded (see
//! `assets/DejaVuSans-LICENSE.txt`). plotters has no radar chart, so rings,
//! spokes and polygons are drawn by hand. The same input gives the same bytes.

use std::sync::Once;

use plotters::backend::BitMapBackend;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::Error;

/// The embedded font.
const FONT: &[u8] = include_bytes!("../../assets/DejaVuSans.ttf");
/// The name the font is registered under.
const FAMILY: &str = "boussole-dejavu-sans";
/// Series colours, in turn: the Okabe–Ito hues (told apart by colour-blind
/// readers), darkened where needed so that each has a contrast of at least
/// 4.5 : 1 on white (WCAG 1.4.11 asks 3 : 1 of the graphics one reads).
const PALETTE: [RGBColor; 7] = [
    RGBColor(0x00, 0x72, 0xB2),
    RGBColor(0x8A, 0x5A, 0x00),
    RGBColor(0x00, 0x7A, 0x5A),
    RGBColor(0xA6, 0x40, 0x7E),
    RGBColor(0xB3, 0x47, 0x00),
    RGBColor(0x5E, 0x4F, 0xA2),
    RGBColor(0x00, 0x00, 0x00),
];
/// Rings, spokes and grid lines: 3 : 1 on white, so that the scale reads.
const GRID: RGBColor = RGBColor(0x94, 0x94, 0x94);
const INK: RGBColor = RGBColor(0x26, 0x26, 0x26);

/// A PNG picture and its size in pixels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picture {
    /// The PNG bytes.
    pub png: Vec<u8>,
    /// Width and height, in pixels.
    pub size: (u32, u32),
}

/// One series: a name and its values, out of 100.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// The name in the legend.
    pub name: String,
    /// One value per axis (radar) or a single value (bars).
    pub values: Vec<f64>,
}

type Area<'a> = DrawingArea<BitMapBackend<'a>, Shift>;

fn fail(e: impl std::fmt::Display) -> Error {
    Error::Render {
        what: "chart".into(),
        message: e.to_string(),
    }
}

fn font(size: u32) -> TextStyle<'static> {
    static REGISTER: Once = Once::new();
    REGISTER.call_once(|| {
        // The font is part of the binary: it cannot fail to parse.
        let _ = plotters::style::register_font(FAMILY, FontStyle::Normal, FONT);
    });
    TextStyle::from((FAMILY, size).into_font()).color(&INK)
}

/// Draws with `draw` on a white `size` canvas and encodes it as PNG.
fn picture(
    size: (u32, u32),
    draw: impl FnOnce(&Area) -> Result<(), Error>,
) -> Result<Picture, Error> {
    let (w, h) = size;
    let mut rgb = vec![0u8; w as usize * h as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, size).into_drawing_area();
        root.fill(&WHITE).map_err(fail)?;
        draw(&root)?;
        root.present().map_err(fail)?;
    }
    let mut png = Vec::new();
    let mut encoder = png::Encoder::new(&mut png, w, h);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(fail)?;
    writer.write_image_data(&rgb).map_err(fail)?;
    writer.finish().map_err(fail)?;
    Ok(Picture { png, size })
}

/// `text` cut into lines of at most `width` characters, at most `lines` of
/// them; a line that had to be shortened ends with `…`.
pub fn wrap(text: &str, width: usize, lines: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            out.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        out.push(line);
    }
    let cut = out.len() > lines;
    out.truncate(lines);
    let last = out.len().saturating_sub(1);
    for (i, l) in out.iter_mut().enumerate() {
        if l.chars().count() > width || (cut && i == last) {
            let kept: String = l.chars().take(width.saturating_sub(1)).collect();
            *l = format!("{}…", kept.trim_end());
        }
    }
    out
}

/// Draws lines of text, the first at `at`, anchored by `pos`.
fn lines(area: &Area, text: &[String], at: (i32, i32), style: &TextStyle) -> Result<(), Error> {
    let step = style.font.get_size() as i32 + 6;
    let top = match style.pos.v_pos {
        VPos::Top => at.1,
        VPos::Center => at.1 - step * (text.len() as i32 - 1) / 2,
        VPos::Bottom => at.1 - step * (text.len() as i32 - 1),
    };
    for (i, line) in text.iter().enumerate() {
        area.draw_text(line, style, (at.0, top + step * i as i32))
            .map_err(fail)?;
    }
    Ok(())
}

/// The legend: each series' marker on a stroke of its colour, and its
/// name, from `at` down.
fn legend(area: &Area, series: &[Series], at: (i32, i32)) -> Result<(), Error> {
    let style = font(28).pos(Pos::new(HPos::Left, VPos::Center));
    for (i, s) in series.iter().enumerate() {
        let y = at.1 + 46 * i as i32;
        let colour = PALETTE[i % PALETTE.len()];
        area.draw(&PathElement::new(
            vec![(at.0 - 6, y), (at.0 + 30, y)],
            colour.stroke_width(4),
        ))
        .map_err(fail)?;
        marker(area, i, (at.0 + 12, y))?;
        let name = wrap(&s.name, 30, 1).join("");
        area.draw_text(&name, &style, (at.0 + 44, y))
            .map_err(fail)?;
    }
    Ok(())
}

/// The marker of series `n`: its colour, and a shape of its own (circle,
/// square, triangle, diamond, in turn), so that a series is told apart
/// without its colour (a page printed in grey, a reader who does not see
/// colours), in the chart as in its legend.
fn marker(area: &Area, n: usize, (x, y): (i32, i32)) -> Result<(), Error> {
    let colour = PALETTE[n % PALETTE.len()].filled();
    match n % 4 {
        0 => area.draw(&Circle::new((x, y), 8, colour)),
        1 => area.draw(&Rectangle::new([(x - 8, y - 8), (x + 8, y + 8)], colour)),
        2 => area.draw(&Polygon::new(
            vec![(x, y - 10), (x - 9, y + 7), (x + 9, y + 7)],
            colour,
        )),
        _ => area.draw(&Polygon::new(
            vec![(x, y - 10), (x - 10, y), (x, y + 10), (x + 10, y)],
            colour,
        )),
    }
    .map_err(fail)
}

/// The point at `value` (0–100) on spoke `i` of `n`, the first pointing up.
fn spoke(centre: (i32, i32), radius: f64, i: usize, n: usize, value: f64) -> (i32, i32) {
    let angle = std::f64::consts::TAU * i as f64 / n.max(1) as f64 - std::f64::consts::FRAC_PI_2;
    let r = radius * value.clamp(0.0, 100.0) / 100.0;
    (
        centre.0 + (r * angle.cos()).round() as i32,
        centre.1 + (r * angle.sin()).round() as i32,
    )
}

/// Rings every 20 points, spokes, and the axis labels around them.
fn radar_grid(area: &Area, centre: (i32, i32), radius: f64, axes: &[String]) -> Result<(), Error> {
    let n = axes.len();
    for ring in [20.0, 40.0, 60.0, 80.0, 100.0] {
        let mut points: Vec<(i32, i32)> =
            (0..n).map(|i| spoke(centre, radius, i, n, ring)).collect();
        points.push(points[0]);
        area.draw(&PathElement::new(points, GRID.stroke_width(2)))
            .map_err(fail)?;
        let label = font(20).pos(Pos::new(HPos::Left, VPos::Center));
        let at = spoke(centre, radius, 0, n, ring);
        area.draw_text(&format!("{ring}"), &label, (at.0 + 8, at.1))
            .map_err(fail)?;
    }
    for (i, axis) in axes.iter().enumerate() {
        area.draw(&PathElement::new(
            vec![centre, spoke(centre, radius, i, n, 100.0)],
            GRID.stroke_width(2),
        ))
        .map_err(fail)?;
        let end = spoke(centre, radius + 24.0, i, n, 100.0);
        let h = match end.0 - centre.0 {
            d if d > 20 => HPos::Left,
            d if d < -20 => HPos::Right,
            _ => HPos::Center,
        };
        let v = match end.1 - centre.1 {
            d if d > 20 => VPos::Top,
            d if d < -20 => VPos::Bottom,
            _ => VPos::Center,
        };
        lines(area, &wrap(axis, 22, 4), end, &font(28).pos(Pos::new(h, v)))?;
    }
    Ok(())
}

/// A radar chart: one spoke per axis (scores out of 100), one polygon per
/// series, a legend on the right.
pub fn radar(title: &str, axes: &[String], series: &[Series]) -> Result<Picture, Error> {
    let size = (1800, 1200);
    picture(size, |area| {
        let head = font(38).pos(Pos::new(HPos::Center, VPos::Top));
        area.draw_text(title, &head, (size.0 as i32 / 2, 24))
            .map_err(fail)?;
        if axes.len() < 3 {
            return Ok(());
        }
        let (centre, radius) = ((720, 650), 340.0);
        radar_grid(area, centre, radius, axes)?;
        // The first series (the best ranked) is drawn last, on top.
        for (k, s) in series.iter().enumerate().rev() {
            let colour = PALETTE[k % PALETTE.len()];
            let mut points: Vec<(i32, i32)> = (0..axes.len())
                .map(|i| {
                    spoke(
                        centre,
                        radius,
                        i,
                        axes.len(),
                        s.values.get(i).copied().unwrap_or(0.0),
                    )
                })
                .collect();
            area.draw(&Polygon::new(points.clone(), colour.mix(0.07).filled()))
                .map_err(fail)?;
            points.push(points[0]);
            area.draw(&PathElement::new(points.clone(), colour.stroke_width(4)))
                .map_err(fail)?;
            for p in &points[1..] {
                marker(area, k, *p)?;
            }
        }
        legend(area, series, (1300, 160))
    })
}

/// Horizontal bars, one per series (its first value, out of 100), in the
/// order given, each labelled with its value.
pub fn bars(title: &str, series: &[Series], decimal_comma: bool) -> Result<Picture, Error> {
    let rows = series.len().max(1) as u32;
    let size = (1800, 220 + 80 * rows);
    picture(size, |area| {
        let head = font(34).pos(Pos::new(HPos::Center, VPos::Top));
        area.draw_text(title, &head, (size.0 as i32 / 2, 24))
            .map_err(fail)?;
        let (left, right, top) = (620, 1680, 110);
        let bottom = top + 80 * rows as i32;
        let x =
            |v: f64| left + ((right - left) as f64 * v.clamp(0.0, 100.0) / 100.0).round() as i32;
        let tick = font(20).pos(Pos::new(HPos::Center, VPos::Top));
        for v in [0.0, 20.0, 40.0, 60.0, 80.0, 100.0] {
            area.draw(&PathElement::new(
                vec![(x(v), top), (x(v), bottom)],
                GRID.stroke_width(2),
            ))
            .map_err(fail)?;
            area.draw_text(&format!("{v}"), &tick, (x(v), bottom + 10))
                .map_err(fail)?;
        }
        let label = font(24).pos(Pos::new(HPos::Right, VPos::Center));
        let value = font(24).pos(Pos::new(HPos::Left, VPos::Center));
        for (i, s) in series.iter().enumerate() {
            let y = top + 80 * i as i32 + 40;
            let v = s.values.first().copied().unwrap_or(0.0);
            let colour = PALETTE[i % PALETTE.len()];
            area.draw(&Rectangle::new(
                [(x(0.0), y - 24), (x(v), y + 24)],
                colour.filled(),
            ))
            .map_err(fail)?;
            let name = wrap(&s.name, 40, 1).join("");
            area.draw_text(&name, &label, (left - 16, y))
                .map_err(fail)?;
            let mut shown = format!("{:.1}", (v * 10.0).round() / 10.0);
            if decimal_comma {
                shown = shown.replace('.', ",");
            }
            area.draw_text(&shown, &value, (x(v) + 12, y))
                .map_err(fail)?;
        }
        Ok(())
    })
}

/// Lines, one per series, over the `x` labels, on a scale from 0 to the
/// largest value (at least 100), with a dashed reference line at 100.
pub fn evolution(title: &str, x: &[String], series: &[Series]) -> Result<Picture, Error> {
    let size = (1800, 900);
    let top_value = series
        .iter()
        .flat_map(|s| s.values.iter().copied())
        .filter(|v| v.is_finite())
        .fold(100.0, f64::max)
        * 1.1;
    picture(size, |area| {
        let head = font(34).pos(Pos::new(HPos::Center, VPos::Top));
        area.draw_text(title, &head, (size.0 as i32 / 2, 24))
            .map_err(fail)?;
        let (left, right, top, bottom) = (140, 1300, 110, 800);
        let steps = x.len().saturating_sub(1).max(1) as f64;
        let px = |i: usize| left + ((right - left) as f64 * i as f64 / steps).round() as i32;
        let py = |v: f64| {
            bottom - ((bottom - top) as f64 * (v / top_value).clamp(0.0, 1.0)).round() as i32
        };
        let tick = font(22).pos(Pos::new(HPos::Center, VPos::Top));
        for (i, label) in x.iter().enumerate() {
            area.draw(&PathElement::new(
                vec![(px(i), top), (px(i), bottom)],
                GRID.stroke_width(2),
            ))
            .map_err(fail)?;
            area.draw_text(label, &tick, (px(i), bottom + 12))
                .map_err(fail)?;
        }
        let left_tick = font(22).pos(Pos::new(HPos::Right, VPos::Center));
        for v in [0.0, 50.0, 100.0, 150.0, 200.0]
            .into_iter()
            .filter(|v| *v <= top_value)
        {
            area.draw(&PathElement::new(
                vec![(left, py(v)), (right, py(v))],
                GRID.stroke_width(if v == 100.0 { 4 } else { 2 }),
            ))
            .map_err(fail)?;
            area.draw_text(&format!("{v}"), &left_tick, (left - 12, py(v)))
                .map_err(fail)?;
        }
        let legend = font(22).pos(Pos::new(HPos::Left, VPos::Center));
        for (n, s) in series.iter().enumerate() {
            let colour = PALETTE[n % PALETTE.len()];
            let points: Vec<(i32, i32)> = s
                .values
                .iter()
                .enumerate()
                .filter(|(_, v)| v.is_finite())
                .map(|(i, v)| (px(i), py(*v)))
                .collect();
            area.draw(&PathElement::new(points.clone(), colour.stroke_width(4)))
                .map_err(fail)?;
            for p in points {
                marker(area, n, p)?;
            }
            let y = top + 56 * n as i32;
            marker(area, n, (1355, y))?;
            for (k, line) in wrap(&s.name, 32, 2).iter().enumerate() {
                area.draw_text(line, &legend, (1382, y + 24 * k as i32))
                    .map_err(fail)?;
            }
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_labels_wrap_and_end_with_an_ellipsis() {
        assert_eq!(wrap("Transparence", 24, 3), ["Transparence"]);
        let long = "Absence d'identification biométrique et de collecte de données sensibles ; aucun biais discriminatoire";
        let lines = wrap(long, 24, 3);
        assert_eq!(lines.len(), 3);
        assert!(lines[2].ends_with('…'), "{lines:?}");
        assert!(lines.iter().all(|l| l.chars().count() <= 24), "{lines:?}");
    }

    #[test]
    fn charts_are_png_and_the_same_every_time() {
        let axes: Vec<String> = (1..=7).map(|i| format!("Critère {i} — sobriété")).collect();
        let series = vec![
            Series {
                name: "Exemple IA SAS".into(),
                values: vec![100.0, 80.0, 60.0, 90.0, 100.0, 70.0, 50.0],
            },
            Series {
                name: "Autre".into(),
                values: vec![50.0; 7],
            },
        ];
        let a = radar("Profil par critère", &axes, &series).unwrap();
        let b = radar("Profil par critère", &axes, &series).unwrap();
        assert_eq!(a, b);
        assert!(a.png.starts_with(b"\x89PNG\r\n\x1a\n"));
        let bars = bars("Note boussole", &series, true).unwrap();
        assert_eq!(bars.size, (1800, 220 + 80 * 2));
    }

    #[test]
    fn line_charts_are_pictures_and_stable() {
        let series = vec![Series {
            name: "SOB-01".into(),
            values: vec![100.0, 85.0, f64::NAN],
        }];
        let x = vec!["1".to_string(), "2".to_string(), "3".to_string()];
        let a = evolution("Évolution", &x, &series).unwrap();
        let b = evolution("Évolution", &x, &series).unwrap();
        assert_eq!(a, b);
        assert!(a.png.starts_with(b"\x89PNG"));
    }
}
