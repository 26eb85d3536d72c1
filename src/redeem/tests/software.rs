//! Software activations: what an install counts, and when it is refused.

use super::*;
use crate::domain::{MachineChange, OfferKind, Os, Param, Value};
use crate::redeem::software::{activations_counted, plan_activation};

// --- Software activations ---

#[test]
fn activation_new_machine_counts_one() {
    assert_eq!(
        activations_counted(OfferKind::ActionPack, MachineChange::New),
        1
    );
}

#[test]
fn activation_same_machine_no_hardware_change_counts_none() {
    assert_eq!(
        activations_counted(OfferKind::ActionPack, MachineChange::None),
        0
    );
    assert_eq!(
        activations_counted(OfferKind::ActionPack, MachineChange::Reimage),
        0
    );
}

#[test]
fn activation_same_machine_significant_hardware_change_counts_one() {
    assert_eq!(
        activations_counted(OfferKind::ActionPack, MachineChange::Hardware),
        1
    );
}

#[test]
fn activation_competency_and_solutions_partner_keys_count_every_activation_reimages_included() {
    for offer in [
        OfferKind::SolutionsPartner,
        OfferKind::GoldCompetency,
        OfferKind::SilverCompetency,
    ] {
        for change in [
            MachineChange::New,
            MachineChange::None,
            MachineChange::Hardware,
            MachineChange::Reimage,
        ] {
            assert_eq!(
                activations_counted(offer, change),
                1,
                "{offer:?} {change:?}"
            );
        }
    }
}

#[test]
fn activation_at_the_maximum_is_refused() {
    let mut p = portfolio();
    let k = key("OFFSP-AAAAA-AAAAA-AAAAA-AAAAA");
    let e = plan_activation(ctx(&p), &k, "pc-1", MachineChange::New, Os::Windows).unwrap();
    apply(&mut p, e);
    let r = plan_activation(ctx(&p), &k, "pc-2", MachineChange::New, Os::Windows).unwrap_err();
    assert_eq!(r.code, RefusalCode::MaxActivationsReached);
    assert_eq!(
        (r.param(Param::Used), r.param(Param::Allowed)),
        (Some(&Value::Count(10)), Some(&Value::Count(10)))
    );
}

#[test]
fn activation_that_counts_nothing_is_allowed_at_the_maximum() {
    let mut p = portfolio();
    let k = key("WINAP-AAAAA-AAAAA-AAAAA-AAAAA");
    {
        let e = plan_activation(ctx(&p), &k, "pc-1", MachineChange::New, Os::Windows).unwrap();
        apply(&mut p, e);
    }
    let e = plan_activation(ctx(&p), &k, "pc-1", MachineChange::None, Os::Windows).unwrap();
    assert!(matches!(
        e,
        Entry::Activation {
            counted: 0,
            used_after: 10,
            ..
        }
    ));
}

#[test]
fn office_professional_plus_2019_iur_keys_do_not_work_on_macos() {
    let p = portfolio();
    let k = key("OPP19-AAAAA-AAAAA-AAAAA-AAAAA");
    assert_eq!(
        code(plan_activation(
            ctx(&p),
            &k,
            "mac",
            MachineChange::New,
            Os::Macos
        )),
        RefusalCode::NotSupportedOnMacos
    );
    assert!(plan_activation(ctx(&p), &k, "pc", MachineChange::New, Os::Windows).is_ok());
}

#[test]
fn cals_are_not_activated() {
    let p = portfolio();
    let b = p.software(3);
    assert!(b.is_cal() && !b.needs_activation());
}

#[test]
fn windows_and_office_need_activation() {
    let p = portfolio();
    assert!(p.software(0).needs_activation());
    assert!(p.software(1).needs_activation());
}

#[test]
fn action_pack_keys_count_a_reimage_on_the_same_hardware_as_the_same_machine() {
    assert_eq!(
        activations_counted(OfferKind::ActionPack, MachineChange::Reimage),
        0
    );
    assert_eq!(
        activations_counted(OfferKind::SolutionsPartner, MachineChange::Reimage),
        1
    );
}

#[test]
fn activation_needs_the_machine_name() {
    let p = portfolio();
    let k = key("WINAP-AAAAA-AAAAA-AAAAA-AAAAA");
    for blank in ["", "   "] {
        assert_eq!(
            code(plan_activation(
                ctx(&p),
                &k,
                blank,
                MachineChange::New,
                Os::Windows
            )),
            RefusalCode::MachineNameRequired
        );
    }
    // Whatever else stands in the way is said first.
    let k = key("OPP19-AAAAA-AAAAA-AAAAA-AAAAA");
    assert_eq!(
        code(plan_activation(
            ctx(&p),
            &k,
            "",
            MachineChange::New,
            Os::Macos
        )),
        RefusalCode::NotSupportedOnMacos
    );
}
