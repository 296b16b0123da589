//! Line charts as inline SVG, drawn by plotters' SVG backend and made accessible here: the
//! `<svg>` gets `role="img"`, a `<title>` and a `<desc>` naming what it shows (the same numbers are
//! in a table beside it for screen readers and for reading exact values).
//!
//! Only numbers and fixed words reach a chart, never member text: the SVG goes into the page
//! unescaped.

use plotters::prelude::*;

use crate::error::{AppError, AppResult};

const WIDTH: u32 = 720;
const HEIGHT: u32 = 280;

/// Line colours with at least 4.5:1 contrast on white, told apart by their markers too.
const COLOURS: [RGBColor; 3] = [RGBColor(29, 78, 216), RGBColor(180, 83, 9), RGBColor(21, 128, 61)];

/// One line: a value per point, `None` where there is nothing to plot (a gap).
pub struct Series {
    pub name: &'static str,
    pub values: Vec<Option<f64>>,
}

/// What the y axis counts.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Count,
    /// Minutes, drawn in hours.
    Hours,
    /// A rate in 0..=1, drawn as 0–100 %.
    Percent,
}

/// A chart: one label per point, the lines over them.
pub struct Chart {
    /// Unique on the page (the ids of the title and description derive from it).
    pub id: &'static str,
    pub title: String,
    pub description: String,
    pub unit: Unit,
    pub labels: Vec<String>,
    pub series: Vec<Series>,
}

impl Unit {
    fn scale(self, v: f64) -> f64 {
        match self {
            Unit::Count => v,
            Unit::Hours => v / 60.0,
            Unit::Percent => v * 100.0,
        }
    }

    fn axis(self) -> &'static str {
        match self {
            Unit::Count => "questions",
            Unit::Hours => "hours",
            Unit::Percent => "%",
        }
    }
}

fn failed<E: std::fmt::Debug>(e: E) -> AppError {
    AppError::internal(format!("chart: {e:?}"))
}

/// The chart as an `<svg>` element.
pub fn render(chart: &Chart) -> AppResult<String> {
    let mut svg = String::new();
    draw(chart, &mut svg)?;
    Ok(accessible(chart, &svg))
}

fn draw(chart: &Chart, out: &mut String) -> AppResult<()> {
    let n = chart.labels.len().max(1);
    let last = (n as i32 - 1).max(1);
    let top = match chart.unit {
        Unit::Percent => 100.0,
        unit => {
            let max = chart
                .series
                .iter()
                .flat_map(|s| s.values.iter().flatten())
                .map(|v| unit.scale(*v))
                .fold(0.0, f64::max);
            (max * 1.1).max(1.0)
        }
    };
    let root = SVGBackend::with_string(out, (WIDTH, HEIGHT)).into_drawing_area();
    root.fill(&WHITE).map_err(failed)?;
    let mut c = ChartBuilder::on(&root)
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(56)
        .build_cartesian_2d(0..last, 0.0..top)
        .map_err(failed)?;
    let label = |i: &i32| chart.labels.get(*i as usize).cloned().unwrap_or_default();
    let value = |v: &f64| match chart.unit {
        Unit::Hours if top < 10.0 => format!("{v:.1}"),
        _ if v.fract().abs() > 1e-9 => format!("{v:.1}"),
        _ => format!("{v:.0}"),
    };
    // plotters draws text at 1/1.24 of the size asked for.
    c.configure_mesh()
        .x_labels(n.min(8))
        .x_label_formatter(&label)
        .y_labels(6)
        .y_label_formatter(&value)
        .y_desc(chart.unit.axis())
        .light_line_style(TRANSPARENT)
        .bold_line_style(RGBColor(226, 229, 233))
        .axis_desc_style(("sans-serif", 17))
        .label_style(("sans-serif", 16))
        .draw()
        .map_err(failed)?;
    for (k, s) in chart.series.iter().enumerate() {
        let colour = COLOURS[k % COLOURS.len()];
        let points: Vec<(i32, f64)> = s
            .values
            .iter()
            .enumerate()
            .filter_map(|(i, v)| v.map(|v| (i as i32, chart.unit.scale(v))))
            .collect();
        // A gap (no value) breaks the line: each run of consecutive points is its own line.
        for run in points.chunk_by(|a, b| b.0 == a.0 + 1) {
            c.draw_series(LineSeries::new(run.iter().copied(), colour.stroke_width(2)))
                .map_err(failed)?;
        }
        let style = colour.filled();
        let anno = match k % 3 {
            0 => c.draw_series(points.iter().map(|p| Circle::new(*p, 3, style).into_dyn())),
            1 => c.draw_series(points.iter().map(|p| TriangleMarker::new(*p, 4, style).into_dyn())),
            _ => c.draw_series(
                points
                    .iter()
                    .map(|p| Cross::new(*p, 4, colour.stroke_width(2)).into_dyn()),
            ),
        }
        .map_err(failed)?;
        anno.label(s.name)
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], colour.stroke_width(2)));
    }
    c.configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.9))
        .border_style(RGBColor(187, 187, 187))
        .label_font(("sans-serif", 16))
        .draw()
        .map_err(failed)?;
    root.present().map_err(failed)?;
    Ok(())
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Names the picture for assistive technology and lets CSS size it from its view box.
fn accessible(chart: &Chart, svg: &str) -> String {
    let Some(open_end) = svg.find('>') else {
        return svg.to_owned();
    };
    let body = &svg[open_end + 1..];
    format!(
        r#"<svg class="chart" role="img" viewBox="0 0 {WIDTH} {HEIGHT}" xmlns="http://www.w3.org/2000/svg" aria-labelledby="{id}-title {id}-desc"><title id="{id}-title">{t}</title><desc id="{id}-desc">{d}</desc>{body}"#,
        id = chart.id,
        t = escape(&chart.title),
        d = escape(&chart.description),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart(values: Vec<Option<f64>>) -> Chart {
        Chart {
            id: "t",
            title: "Questions <per> day".into(),
            description: "Asked each day".into(),
            unit: Unit::Count,
            labels: (1..=values.len()).map(|i| format!("Nov {i}")).collect(),
            series: vec![
                Series {
                    name: "Asked",
                    values: values.clone(),
                },
                Series {
                    name: "Resolved",
                    values: values.iter().map(|v| v.map(|x| x / 2.0)).collect(),
                },
            ],
        }
    }

    /// The words of the chart's `<text>` elements, in order.
    fn texts(svg: &str) -> Vec<String> {
        svg.split("<text")
            .skip(1)
            .filter_map(|t| Some(t.split_once('>')?.1.split_once("</text>")?.0.trim().to_owned()))
            .collect()
    }

    #[test]
    fn a_chart_is_a_titled_svg_with_axes_lines_and_legend() {
        let svg = render(&chart(vec![Some(4.0), Some(10.0), None, Some(6.0)])).unwrap();
        assert!(svg.starts_with(r#"<svg class="chart" role="img""#), "{}", &svg[..200]);
        assert!(svg.contains(r#"<title id="t-title">Questions &lt;per&gt; day</title>"#));
        assert!(svg.contains(r#"aria-labelledby="t-title t-desc""#));
        assert!(svg.trim_end().ends_with("</svg>"));
        assert_eq!(svg.matches("<svg").count(), 1);
        let words = texts(&svg);
        for text in ["Nov 1", "Nov 2", "Nov 4", "questions", "Asked", "Resolved", "0", "10"] {
            assert!(words.iter().any(|w| w == text), "missing {text} in {words:?}");
        }
        // The gap breaks each line into two runs: Nov 1–2 and Nov 4 alone.
        let lines: Vec<&str> = svg
            .split("<polyline")
            .filter(|l| l.contains("stroke-width=\"2\""))
            .collect();
        assert_eq!(lines.len(), 2 * 2 + 2, "two runs per series and a legend swatch each");
        assert_eq!(
            svg.matches("<circle").count(),
            3,
            "a marker on each value of the first series"
        );
        assert!(!svg.contains("<script") && !svg.contains(" on"));
    }

    #[test]
    fn an_empty_period_still_draws_its_axes() {
        let words = texts(&render(&chart(vec![None, None])).unwrap());
        assert!(words.contains(&"Nov 1".to_owned()) && words.contains(&"questions".to_owned()));
    }
}
