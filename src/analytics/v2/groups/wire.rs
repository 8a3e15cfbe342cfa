//! The answers of the groups routes (spec §9): a group is
//! `{"groupId","groupName","groupDesc","groupMembers"}`.

use serde::Serialize;

use crate::analytics::workspaces::model::Group;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupEntry<'a> {
    group_id: &'a str,
    group_name: &'a str,
    group_desc: &'a str,
    group_members: &'a [String],
}

impl<'a> GroupEntry<'a> {
    pub fn of(group: &'a Group) -> Self {
        GroupEntry {
            group_id: &group.id,
            group_name: &group.name,
            group_desc: &group.description,
            group_members: &group.members,
        }
    }
}

/// `GET …/groups`: a list.
#[derive(Serialize)]
pub struct Groups<'a> {
    pub groups: Vec<GroupEntry<'a>>,
}

/// `GET …/groups/{g}`: one object, under the same key.
#[derive(Serialize)]
pub struct OneGroup<'a> {
    pub groups: GroupEntry<'a>,
}

/// `POST …/groups`: the new id, a decimal string (the official client turns it into an integer).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Created {
    pub group_id: String,
}
