import type { SeedFile } from '../../src/seed.js';

/** Two tenants: acme (the usual cast) and globex (the outsider for isolation tests). */
export const TEST_SEED: SeedFile = {
  tenants: [
    {
      tenant_key: 'acme',
      name: 'Acme',
      users: [
        { user_id: 'zhangsan', open_id: 'ou_zhangsan', union_id: 'on_zhangsan', name: '张三', email: 'zhangsan@acme.example' },
        { user_id: 'lisi', open_id: 'ou_lisi', union_id: 'on_lisi', name: '李四' },
        { user_id: 'wangwu', open_id: 'ou_wangwu', union_id: 'on_wangwu', name: '王五' },
        { user_id: 'zhaoliu', open_id: 'ou_zhaoliu', union_id: 'on_zhaoliu', name: '赵六' },
        { user_id: 'sunqi', open_id: 'ou_sunqi', union_id: 'on_sunqi', name: '孙七' },
        { user_id: 'zhouba', open_id: 'ou_zhouba', union_id: 'on_zhouba', name: '周八' },
      ],
      apps: [
        { platform: 'feishu', app_id: 'cli_acme', app_secret: 'acme-secret', name: 'Acme Bot' },
        { platform: 'feishu', app_id: 'cli_acme2', app_secret: 'acme2-secret', name: 'Acme Second Bot', redirect_uris: ['https://app.acme.example/callback'] },
        { platform: 'dingtalk', app_key: 'dingacme', app_secret: 'acme-secret', name: 'Acme DingTalk' },
      ],
      rooms: [{ room_id: 'omm_room1', name: 'Room 1', capacity: 8 }, { room_id: 'omm_room2', name: 'Room 2', capacity: 20 }],
      chats: [{ chat_id: 'oc_team', name: 'Team', members: ['zhangsan', 'lisi', 'wangwu'] }],
      files: [
        { file_token: 'boxacme_small', name: '附件.jpeg', size: 2345 },
        { file_token: 'boxacme_big', name: 'big.mov', size: 20 * 1024 * 1024 },
        { file_token: 'boxacme_big2', name: 'big2.mov', size: 10 * 1024 * 1024 },
      ],
      categories: [{ category_id: 'cat_review', display_name: '评审' }, { display_name: '周会' }],
    },
    {
      tenant_key: 'globex',
      name: 'Globex',
      users: [{ user_id: 'hank', open_id: 'ou_hank', union_id: 'on_hank', name: 'Hank' }],
      apps: [
        { platform: 'feishu', app_id: 'cli_globex', app_secret: 'globex-secret' },
        { platform: 'dingtalk', app_key: 'dingglobex', app_secret: 'globex-secret' },
      ],
      files: [{ file_token: 'boxglobex_file', name: 'secret.pdf', size: 100 }],
    },
  ],
};
