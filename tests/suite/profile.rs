//! Tender profiles: the default one, `init`, and every way a profile is refused.

use crate::support::*;

fn plan_with(edit: impl Fn(String) -> String) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let path = profile_with(dir.path(), edit);
    boussole(&["plan", "-p", path.to_str().unwrap()])
}

#[test]
fn init_writes_a_commented_profile_that_plan_accepts() {
    let dir = tempfile::tempdir().unwrap();
    let run = boussole_in(dir.path(), &["init"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = std::fs::read_to_string(dir.path().join("profil.toml")).unwrap();
    assert!(text.starts_with("# Profil de consultation boussole"));
    let run = boussole_in(dir.path(), &["plan", "-p", "profil.toml"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("2026-DN-017"));
}

#[test]
fn init_never_overwrites_without_force() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("profil.toml"), "mine").unwrap();
    let run = boussole_in(dir.path(), &["init"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("already exists"), "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("profil.toml")).unwrap(),
        "mine"
    );
    assert_eq!(boussole_in(dir.path(), &["init", "--force"]).code, 0);
    let run = boussole_in(dir.path(), &["init", "sub/dir"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(dir.path().join("sub/dir/profil.toml").is_file());
}

#[test]
fn an_unknown_key_is_refused_with_its_name_and_line() {
    let run = plan_with(|t| t.replace("[tender]\n", "[tender]\ncolour = \"bleu\"\n"));
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("unknown field `colour`"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("line "), "{}", run.stderr);
}

#[test]
fn weights_must_sum_to_100() {
    let run = plan_with(|t| t.replace("legal = 20\n", "legal = 15\n"));
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("award.weights: the sub-weights sum to 95, they must sum to 100"),
        "{}",
        run.stderr
    );
}

#[test]
fn out_of_range_values_name_their_field() {
    let run = plan_with(|t| {
        t.replace("compass_share = 40", "compass_share = 140")
            .replace("pue_max = 1.5", "pue_max = 0.8")
    });
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("award.compass_share: 140 is out of range"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("thresholds.pue_max: 0.8 is out of range (a PUE is at least 1)"),
        "{}",
        run.stderr
    );
    let run = plan_with(|t| {
        t.replace(
            "[award.minimum]\n# legal = 50",
            "[award.minimum]\nlegal = 150\ncolour = 3",
        )
    });
    assert!(
        run.stderr
            .contains("award.minimum.legal: 150 is out of range"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("award.minimum.colour: unknown criterion"),
        "{}",
        run.stderr
    );
}

#[test]
fn special_category_inference_and_prohibited_practices_are_refused() {
    let run = plan_with(|t| {
        t.replace(
            "special_category_inference = false",
            "special_category_inference = true",
        )
    });
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("system.special_category_inference"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("criterion 1"), "{}", run.stderr);
    let run = plan_with(|t| t.replace("ai_act_risk = \"limited\"", "ai_act_risk = \"prohibited\""));
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("system.ai_act_risk"), "{}", run.stderr);
}

#[test]
fn thresholds_left_out_take_the_default_unknown_ones_are_refused() {
    let run = plan_with(|t| t.replace("pue_max = 1.5\n", ""));
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = plan_with(|t| t.replace("pue_max = 1.5\n", "pue_maximum = 1.5\n"));
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("thresholds.pue_maximum: unknown threshold"),
        "{}",
        run.stderr
    );
    // A profile written before the data and the reference task were asked
    // is told which sections to add and why, not handed a parse error.
    let run = plan_with(|t| {
        let (a, b) = (t.find("[data]").unwrap(), t.find("[award]").unwrap());
        format!("{}{}", &t[..a], &t[b..])
    });
    assert_eq!(run.code, 2);
    for section in [
        "[data]: missing section",
        "[reference_task]: missing section",
    ] {
        assert!(run.stderr.contains(section), "{}", run.stderr);
    }
    // A profile written before the transition period became a minimum
    // is told the new name, not handed the list of every threshold.
    let run = plan_with(|t| t.replace("exit_transition_min = 30", "exit_transition_max = 30"));
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("thresholds.exit_transition_max: renamed `exit_transition_min`"),
        "{}",
        run.stderr
    );
    let run = plan_with(|t| t.replace("hosting_zone = \"eu_eea\"", "hosting_zone = \"mars\""));
    assert!(
        run.stderr
            .contains("thresholds.hosting_zone: no list is named `mars`"),
        "{}",
        run.stderr
    );
}

#[test]
fn no_weight_on_sobriety_after_22_august_2026_is_warned() {
    let run = plan_with(|t| {
        t.replace("legal = 20\n", "legal = 40\n")
            .replace("sobriety = 20\n", "sobriety = 0\n")
    });
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("warning: award.weights.sobriety"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("2021-1104"), "{}", run.stderr);
}

#[test]
fn overrides_need_a_justification_and_cannot_soften_criterion_1() {
    let run = plan_with(|t| t + "\n[[overrides]]\nquestion = \"BIO-01\"\nseverity = \"major\"\n");
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("overrides[0] (BIO-01): a justification is required"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("overrides[0] (BIO-01): criterion 1"),
        "{}",
        run.stderr
    );
    let run = plan_with(|t| {
        t + "\n[[overrides]]\nquestion = \"XYZ-99\"\nweight = 3\njustification = \"x\"\n"
    });
    assert!(
        run.stderr
            .contains("overrides[0] (XYZ-99): no question has this id"),
        "{}",
        run.stderr
    );
}

#[test]
fn scoring_the_operators_seat_or_ownership_is_refused_even_with_a_justification() {
    let lib = boussole::library::load(None).unwrap();
    let q = lib.questions.iter().find(|q| q.jurisdiction).unwrap();
    let id = q.id.clone();
    let run = plan_with(move |t| {
        t + &format!(
            "\n[[overrides]]\nquestion = \"{id}\"\nweight = 3\njustification = \"Données classées relevant du secret de la défense.\"\n"
        )
    });
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains(&q.id) && run.stderr.contains("never scored"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_missing_or_unreadable_profile_is_named() {
    let run = boussole(&["plan", "-p", "nowhere/profil.toml"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("nowhere/profil.toml"), "{}", run.stderr);
    let run = plan_with(|t| t.replace("[buyer]", "[buyer"));
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("profil.toml"), "{}", run.stderr);
}

#[test]
fn a_scale_that_does_not_fit_its_question_is_refused() {
    for (question, scale, why) in [
        (
            "PUB-03",
            "{ kind = \"linear\", zero = 0, full = 10 }",
            "linear scale marks numbers",
        ),
        (
            "SOB-02",
            "{ kind = \"points\", points = { inconnu = 1 } }",
            "not a choice",
        ),
        (
            "BIO-01",
            "{ kind = \"points\", points = { no = 1 } }",
            "never scored",
        ),
        (
            "SOB-01",
            "{ kind = \"linear\", zero = 5, full = 5 }",
            "differ",
        ),
    ] {
        let run = plan_with(move |t| {
            t + &format!(
                "\n[[overrides]]\nquestion = \"{question}\"\nscale = {scale}\njustification = \"Essai.\"\n"
            )
        });
        assert_eq!(run.code, 2, "{question}: {}", run.stderr);
        assert!(
            run.stderr.contains(question) && run.stderr.contains(why),
            "{question}: {}",
            run.stderr
        );
    }
}

#[test]
fn a_reference_task_without_its_yearly_volume_is_refused_by_name() {
    let run = plan_with(|t| t.replace("annual_volume = 120000", ""));
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("profil.toml")
            && run.stderr.contains("reference_task.annual_volume")
            && run.stderr.contains("missing"),
        "{}",
        run.stderr
    );
    let run = plan_with(|t| t.replace("annual_volume = 120000", "annual_volume = 0"));
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("reference_task.annual_volume"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_degraded_mode_has_its_own_threshold_apart_from_support() {
    let run = plan_with(|t| {
        t.replace(
            "degraded_mode_switch_max = 4",
            "degraded_mode_switch_max = 2",
        )
    });
    assert_eq!(run.code, 0, "{}", run.stderr);
    let dir = tempfile::tempdir().unwrap();
    let path = profile_with(dir.path(), |t| {
        t.replace(
            "degraded_mode_switch_max = 4",
            "degraded_mode_switch_max = 2",
        )
    });
    let lib = boussole::library::load(None).unwrap();
    let checked = boussole::profile::load(Some(&path), &lib).unwrap();
    let sel = boussole::selection::resolve(&lib, &checked.profile);
    let alt06 = sel.plan.counted("ALT-06").unwrap();
    assert_eq!(
        alt06.scale,
        boussole::scoring::Scale::Linear {
            zero: 2.0,
            full: 1.0
        },
        "ALT-06 reads its own threshold, not the support delay"
    );
}
