import type { SVGProps } from 'react';

// Small stroke icons, drawn for this page (16 px grid), so it needs no icon font.

type IconProps = SVGProps<SVGSVGElement> & { size?: number };

function Icon({ size = 16, children, ...props }: IconProps & { children: React.ReactNode }) {
  return (
    <svg width={size} height={size} viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth={1.6} strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" {...props}>
      {children}
    </svg>
  );
}

export const CheckIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M3 8.5l3 3 7-7" />
  </Icon>
);
export const DoubleCheckIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M1.5 8.5l3 3 7-7" />
    <path d="M7.5 11.5l7-7" />
  </Icon>
);
export const ClockIcon = (p: IconProps) => (
  <Icon {...p}>
    <circle cx="8" cy="8" r="6" />
    <path d="M8 4.5V8l2.5 1.5" />
  </Icon>
);
export const AlertIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M8 1.8l6.4 11.2H1.6z" />
    <path d="M8 6.5v3M8 11.4v.1" />
  </Icon>
);
export const SendIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M14.5 1.5L7 9M14.5 1.5l-4.5 13-3-6-6-3z" />
  </Icon>
);
export const BotIcon = (p: IconProps) => (
  <Icon {...p}>
    <rect x="2.5" y="5" width="11" height="8" rx="2.5" />
    <path d="M8 2v3M6 9h.01M10 9h.01" />
  </Icon>
);
export const UserIcon = (p: IconProps) => (
  <Icon {...p}>
    <circle cx="8" cy="5.5" r="2.8" />
    <path d="M2.5 14c.8-2.8 3-4.2 5.5-4.2s4.7 1.4 5.5 4.2" />
  </Icon>
);
export const TagIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M1.8 8.6V2.2a.4.4 0 0 1 .4-.4h6.4l5.6 5.6-6.8 6.8z" />
    <circle cx="5" cy="5" r="1" />
  </Icon>
);
export const PencilIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M10.5 2.5l3 3L6 13l-3.5.5L3 10z" />
  </Icon>
);
export const CloseIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M4 4l8 8M12 4l-8 8" />
  </Icon>
);
export const InboxIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M1.5 9.5l2-6.5h9l2 6.5v3.5h-13z" />
    <path d="M1.5 9.5h4l1 1.5h3l1-1.5h4" />
  </Icon>
);
export const HandIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M5 8V3.5a1 1 0 0 1 2 0V7M7 7V2.5a1 1 0 0 1 2 0V7M9 7V3.5a1 1 0 0 1 2 0V9M11 6a1 1 0 0 1 2 0v3.5A5 5 0 0 1 8 14.5 4.5 4.5 0 0 1 3.8 12L2.3 9.3a1 1 0 0 1 1.7-1L5 10" />
  </Icon>
);
export const ArrowRightIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M2.5 8h11M9.5 4l4 4-4 4" />
  </Icon>
);
export const TemplateIcon = (p: IconProps) => (
  <Icon {...p}>
    <rect x="2" y="2" width="12" height="12" rx="2" />
    <path d="M5 5.5h6M5 8h6M5 10.5h3.5" />
  </Icon>
);
export const MegaphoneIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M2 6.5v3h2.5L10 13V3L4.5 6.5zM12 6a2.5 2.5 0 0 1 0 4" />
  </Icon>
);
export const LocationIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M8 14.5s-4.5-4.2-4.5-8a4.5 4.5 0 0 1 9 0c0 3.8-4.5 8-4.5 8z" />
    <circle cx="8" cy="6.5" r="1.5" />
  </Icon>
);
export const ImageIcon = (p: IconProps) => (
  <Icon {...p}>
    <rect x="1.8" y="2.8" width="12.4" height="10.4" rx="1.5" />
    <circle cx="5.5" cy="6" r="1.2" />
    <path d="M14 11l-4-4-6.5 6" />
  </Icon>
);

/** The delivery tick of an outbound message, as WhatsApp draws it. */
export function Tick({ tick }: { tick: 'clock' | 'sent' | 'delivered' | 'read' | 'failed' | null }) {
  switch (tick) {
    case 'clock':
      return <ClockIcon size={13} className="tick tick-clock" aria-label="Sending" />;
    case 'sent':
      return <CheckIcon size={14} className="tick" aria-label="Sent" />;
    case 'delivered':
      return <DoubleCheckIcon size={15} className="tick" aria-label="Delivered" />;
    case 'read':
      return <DoubleCheckIcon size={15} className="tick tick-read" aria-label="Read" />;
    case 'failed':
      return <AlertIcon size={13} className="tick tick-failed" aria-label="Not delivered" />;
    default:
      return null;
  }
}
