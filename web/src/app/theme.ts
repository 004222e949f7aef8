import type { ThemeConfig } from 'antd';

export const PRIMARY = '#1f6feb';
export const FONT_FAMILY =
  '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif';

/** Staff console: desktop first, body 14 px. */
export const staffTheme: ThemeConfig = {
  token: {
    colorPrimary: PRIMARY,
    colorInfo: PRIMARY,
    colorLink: PRIMARY,
    fontFamily: FONT_FAMILY,
    fontSize: 14,
    colorText: '#1f1f1f',
    colorTextSecondary: '#4a4a4a',
    colorTextTertiary: '#666666',
    colorTextDescription: '#666666',
    borderRadius: 6,
  },
  components: {
    Layout: {
      headerBg: '#ffffff',
      siderBg: '#ffffff',
      bodyBg: '#f5f7fa',
      headerHeight: 56,
      headerPadding: '0 16px',
      triggerBg: '#ffffff',
      triggerColor: '#1f1f1f',
    },
    Menu: { itemHeight: 40 },
  },
};

/**
 * Elder mode (MIIT 适老化): body ≥ 18 px, every control ≥ 60 px high, line height ≥ 1.3,
 * text contrast ≥ 4.5:1 (all greys below are ≥ 5.3:1 on white).
 */
export const elderTheme: ThemeConfig = {
  token: {
    colorPrimary: '#1a5fd0',
    colorInfo: '#1a5fd0',
    colorLink: '#1a5fd0',
    fontFamily: FONT_FAMILY,
    fontSize: 18,
    fontSizeSM: 18,
    fontSizeLG: 20,
    lineHeight: 1.6,
    lineHeightSM: 1.5,
    lineHeightLG: 1.5,
    controlHeight: 60,
    controlHeightSM: 60,
    controlHeightLG: 64,
    colorText: '#111111',
    colorTextSecondary: '#333333',
    colorTextTertiary: '#4d4d4d',
    colorTextDescription: '#4d4d4d',
    colorTextPlaceholder: '#6b6b6b',
    colorBorder: '#8c8c8c',
    borderRadius: 8,
  },
  components: {
    Layout: {
      headerBg: '#ffffff',
      siderBg: '#ffffff',
      bodyBg: '#f5f7fa',
      headerHeight: 76,
      headerPadding: '0 12px',
      triggerBg: '#ffffff',
      triggerColor: '#111111',
      triggerHeight: 60,
    },
    Menu: { itemHeight: 60, iconSize: 22 },
    Switch: { trackHeight: 36, trackMinWidth: 64, handleSize: 32, innerMaxMargin: 40, innerMinMargin: 10 },
    Table: { cellPaddingBlock: 16, cellFontSize: 18 },
    Tag: { defaultBg: '#f0f0f0' },
    Dropdown: { controlHeight: 60 },
  },
};

export const themeFor = (elder: boolean): ThemeConfig => (elder ? elderTheme : staffTheme);
