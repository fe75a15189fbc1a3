/** Japanese text of the Captures tool (spread into ja.ts). */
import type { capturesEn } from './captures.en.ts';

export const capturesJa: Record<keyof typeof capturesEn, string> = {
  'tool.captures': 'キャプチャ',
  'captures.title': 'キャプチャ',
  'captures.export': 'Wireshark 用に書き出す',
  'captures.exportHint': 'ログを pcapng で保存します。TCP は実際のアドレス、シリアルはポート名、時刻はマイクロ秒単位。Wireshark では docs/wireshark/msp.lua と一緒に開きます。',
  'captures.plaintext': '復号したペイロードも含める',
  'captures.plaintextHint': '暗号化されたパケットは常に回線上のバイトのまま書き出します。オンにすると復号結果もパケットのコメントとして書き込みます。鍵は一切書き出しません。',
  'captures.exportAll': 'すべて書き出す（{n}）',
  'captures.exportFiltered': '絞り込み結果を書き出す（{n}）',
  'captures.exportFilteredNone': '絞り込み結果を書き出す（絞り込みなし）',
  'captures.import': 'キャプチャを読み込む',
  'captures.importHint': 'tcpdump・Wireshark・このアプリの .pcap / .pcapng を読み込み、MSP の通信を時刻・相手・ACK 付きでログに表示します。MSP 以外のストリームは一覧に出して読み飛ばします。',
  'captures.importButton': 'キャプチャを読み込む…',
  'captures.imported': '{name}: MSP パケット {packets} 個。ストリーム {all} 本（MSP: {streams} 本）。',
  'captures.streamMsp': 'MSP、{n} パケット',
  'captures.streamOther': 'MSP ではないため読み飛ばし',
  'captures.streamEmpty': 'データなし',
  'captures.otherFrames': 'TCP 以外のフレーム {n} 個を読み飛ばしました。',
  'captures.record': '記録と再生',
  'captures.recordHint': '「記録」を押すと、それ以降ログに流れたものを記録し、「停止して保存」で pcapng に保存します。長時間の記録には msp … --capture FILE.pcapng を使ってください。',
  'captures.start': '記録',
  'captures.stop': '停止して保存',
  'captures.recording': '{since} から記録中: {n} 行',
  'captures.replayHint': '記録をサーバーに再送し、応答を比べるには:',
};
