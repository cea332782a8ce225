//! Table output: the resource's identifiers under their docs column names, then `region`.

use std::io::Write;

use aws_cloudcontrol_resources::ResourceInfo;

/// Writes `rows` (resource properties, CloudFormation names) as aligned columns.
pub fn write_table(
    out: &mut impl Write,
    info: &ResourceInfo,
    region: &str,
    rows: &[serde_json::Value],
) -> std::io::Result<()> {
    let mut header: Vec<String> = info
        .identifier_columns
        .iter()
        .map(|c| (*c).to_owned())
        .collect();
    header.push("region".to_owned());
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            let mut line: Vec<String> = info
                .identifiers
                .iter()
                .map(|path| cell(row, path))
                .collect();
            line.push(region.to_owned());
            line
        })
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for line in &cells {
        for (width, value) in widths.iter_mut().zip(line) {
            *width = (*width).max(value.chars().count());
        }
    }
    write_line(out, &header, &widths)?;
    for line in &cells {
        write_line(out, line, &widths)?;
    }
    Ok(())
}

fn write_line(out: &mut impl Write, values: &[String], widths: &[usize]) -> std::io::Result<()> {
    let mut text = String::new();
    for (i, (value, width)) in values.iter().zip(widths).enumerate() {
        if i + 1 == values.len() {
            text.push_str(value);
        } else {
            text.push_str(&format!("{value:<width$}  "));
        }
    }
    writeln!(out, "{}", text.trim_end())
}

/// The value at an identifier path (`Outer/Inner`): strings as they are, other values as JSON,
/// absent ones empty.
fn cell(row: &serde_json::Value, path: &str) -> String {
    let mut value = row;
    for segment in path.split('/') {
        match value.get(segment) {
            Some(next) => value = next,
            None => return String::new(),
        }
    }
    match value {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Writes one object as aligned `property  value` lines (strings bare, other values as JSON);
/// anything else as JSON.
pub fn write_properties(out: &mut impl Write, value: &serde_json::Value) -> std::io::Result<()> {
    let Some(map) = value.as_object() else {
        return writeln!(out, "{value}");
    };
    let width = map.keys().map(|k| k.chars().count()).max().unwrap_or(0);
    for (key, value) in map {
        let text = match value {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Null => String::new(),
            other => other.to_string(),
        };
        writeln!(out, "{}", format!("{key:<width$}  {text}").trim_end())?;
    }
    Ok(())
}

/// Writes objects as aligned columns named `columns` (absent values empty).
pub fn write_rows(
    out: &mut impl Write,
    columns: &[&str],
    rows: &[serde_json::Value],
) -> std::io::Result<()> {
    let header: Vec<String> = columns.iter().map(|c| (*c).to_owned()).collect();
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|row| columns.iter().map(|c| cell(row, c)).collect())
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for line in &cells {
        for (width, value) in widths.iter_mut().zip(line) {
            *width = (*width).max(value.chars().count());
        }
    }
    write_line(out, &header, &widths)?;
    for line in &cells {
        write_line(out, line, &widths)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_paths_and_missing_values() {
        let row = serde_json::json!({"A": {"B": "x"}, "N": 3});
        assert_eq!(cell(&row, "A/B"), "x");
        assert_eq!(cell(&row, "N"), "3");
        assert_eq!(cell(&row, "Z"), "");
    }
}
