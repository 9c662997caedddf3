import { IdentityErrorCode } from '../../common/identity-error';
import { EventTypes } from '../../events/identity-events';
import { errorCode as code } from '../../users/commands/commands.spec-helper';
import {
  ChangeGroupMembersCommand,
  ChangeGroupRolesCommand,
  ChangeSubgroupsCommand,
  CreateGroupCommand,
  DeleteGroupCommand,
  UpdateGroupCommand,
} from './group.commands';
import { groupsWorld, T } from './groups.spec-helper';

describe('group commands', () => {
  it('creates a group and announces it; a taken name is group_name_taken', async () => {
    const world = groupsWorld();
    await expect(world.create.execute(new CreateGroupCommand(T, 'Design', 'UX', 'admin'))).resolves.toMatchObject({
      name: 'Design',
      tenantId: T,
    });
    expect(world.recorded).toEqual([
      expect.objectContaining({ type: EventTypes.groupCreated, data: expect.objectContaining({ name: 'Design' }) }),
    ]);
    world.clashNames();
    expect(await code(world.create.execute(new CreateGroupCommand(T, 'Web', '', 'admin')))).toBe(
      IdentityErrorCode.GroupNameTaken,
    );
  });

  it('updates only what changed, and announces nothing when nothing did', async () => {
    const world = groupsWorld();
    await world.update.execute(
      new UpdateGroupCommand(T, 'g-eng', { name: 'Engineering', description: 'Builders' }, null),
    );
    expect(world.recorded).toEqual([
      expect.objectContaining({
        type: EventTypes.groupUpdated,
        data: { groupId: 'g-eng', changed: ['description'], actor: null },
      }),
    ]);
    await world.update.execute(new UpdateGroupCommand(T, 'g-eng', { description: 'Builders' }, null));
    expect(world.recorded).toHaveLength(1);
  });

  it("deletes under the nesting lock; another tenant's group is not found", async () => {
    const world = groupsWorld();
    await world.remove.execute(new DeleteGroupCommand(T, 'g-web', 'admin'));
    expect(world.groups.has('g-web')).toBe(false);
    expect(world.repository.lockNesting).toHaveBeenCalledWith(expect.anything(), T);
    expect(world.recorded.map((e) => e.type)).toEqual([EventTypes.groupDeleted]);
    expect(await code(world.remove.execute(new DeleteGroupCommand(T, 'g-other', 'admin')))).toBe(
      IdentityErrorCode.GroupNotFound,
    );
  });

  it('adds new members and removes present ones, one event for the real change, none for a no-op', async () => {
    const world = groupsWorld();
    await world.changeMembers.execute(
      new ChangeGroupMembersCommand(T, 'g-eng', ['u-ada', 'u-bob'], ['u-nobody'], 'admin'),
    );
    expect(world.recorded).toEqual([
      expect.objectContaining({
        type: EventTypes.groupMembersChanged,
        data: { groupId: 'g-eng', added: ['u-ada'], removed: [], actor: 'admin' },
      }),
    ]);
    await world.changeMembers.execute(new ChangeGroupMembersCommand(T, 'g-eng', ['u-ada'], [], 'admin'));
    expect(world.recorded).toHaveLength(1);
    await expect(
      world.changeMembers.execute(new ChangeGroupMembersCommand(T, 'g-eng', ['u-ghost'], [], 'admin')),
    ).rejects.toMatchObject({ code: IdentityErrorCode.UserNotFound, details: { userIds: ['u-ghost'] } });
  });

  it("grants the tenant's roles, never an unknown one or one holding reserved platform permissions", async () => {
    const world = groupsWorld();
    await expect(
      world.changeRoles.execute(new ChangeGroupRolesCommand(T, 'g-eng', ['r-dev'], [], 'admin')),
    ).resolves.toEqual([expect.objectContaining({ id: 'r-dev' })]);
    await expect(
      world.changeRoles.execute(new ChangeGroupRolesCommand(T, 'g-eng', ['r-gone'], [], 'admin')),
    ).rejects.toMatchObject({ code: IdentityErrorCode.RoleNotFound, details: { roleIds: ['r-gone'] } });
    expect(await code(world.changeRoles.execute(new ChangeGroupRolesCommand(T, 'g-eng', ['r-old'], [], 'admin')))).toBe(
      IdentityErrorCode.ReservedPermission,
    );
    await expect(
      world.changeRoles.execute(new ChangeGroupRolesCommand(T, 'g-eng', [], ['r-dev'], 'admin')),
    ).resolves.toEqual([]);
    expect(world.recorded.map((e) => e.data)).toEqual([
      { groupId: 'g-eng', added: ['r-dev'], removed: [], actor: 'admin' },
      { groupId: 'g-eng', added: [], removed: ['r-dev'], actor: 'admin' },
    ]);
  });

  it('nests groups under the nesting lock and refuses a cycle at any depth', async () => {
    const world = groupsWorld();
    expect(
      await code(world.changeSubgroups.execute(new ChangeSubgroupsCommand(T, 'g-web', ['g-eng'], [], 'admin'))),
    ).toBe(IdentityErrorCode.GroupCycle);
    expect(
      await code(world.changeSubgroups.execute(new ChangeSubgroupsCommand(T, 'g-eng', ['g-eng'], [], 'admin'))),
    ).toBe(IdentityErrorCode.GroupCycle);
    expect(
      await code(world.changeSubgroups.execute(new ChangeSubgroupsCommand(T, 'g-eng', ['g-other'], [], 'admin'))),
    ).toBe(IdentityErrorCode.GroupNotFound);
    await world.changeSubgroups.execute(new ChangeSubgroupsCommand(T, 'g-eng', [], ['g-web'], 'admin'));
    expect(world.nesting.size).toBe(0);
    expect(world.recorded).toEqual([
      expect.objectContaining({
        type: EventTypes.groupSubgroupsChanged,
        data: { groupId: 'g-eng', added: [], removed: ['g-web'], actor: 'admin' },
      }),
    ]);
    expect(world.repository.lockNesting).toHaveBeenCalled();
  });
});
